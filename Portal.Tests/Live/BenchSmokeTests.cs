using Portal.Bench;

namespace Portal.Tests.Live;

/// <summary>
/// A small run of the benchmark harness, so it keeps working: it asserts convergence and zero lost increments,
/// never a time (the figures belong to the benchmark report).
/// </summary>
public class BenchSmokeTests
{
    [Fact]
    public async Task A_small_benchmark_run_converges_with_no_lost_increment()
    {
        await using var host = await BenchHost.StartAsync();
        var result = await LiveBench.RunAsync(host, clients: 50, rate: 60, seconds: 3, rounds: 1);

        Assert.True(result.Converged, "every client's last snapshot equals the database totals");
        Assert.Equal(0, result.LostIncrements);
        Assert.True(result.Writes > 0);
        Assert.True(result.SnapshotsPerSecondPerClient > 0);
    }
}
