using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Tests.Support;
using Portal.Web.Features.Live;

namespace Portal.Tests.Live;

/// <summary>
/// The feed's pacing on a fake clock, so that "at most N per second" is checked without timing anything: the pump
/// waits on the fake clock, which only moves when the test moves it.
/// </summary>
public class CoalescingTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    private const double PerSecond = 4;

    /// <summary>A feed on a fake clock watching a fresh campaign, and a count of the snapshots it pushed.</summary>
    private sealed class Watched : IDisposable
    {
        private readonly CampaignFeed _feed;
        private readonly int _campaignId;
        private readonly IDisposable _subscription;
        private int _pushes;

        public Watched(CampaignFeed feed, int campaignId, FakeTimeProvider clock)
        {
            (_feed, _campaignId, Clock) = (feed, campaignId, clock);
            _subscription = feed.Subscribe(campaignId, _ => Task.FromResult(Interlocked.Increment(ref _pushes)));
        }

        public FakeTimeProvider Clock { get; }
        public int Pushes => Volatile.Read(ref _pushes);
        public void Change() => _feed.MarkDirty(_campaignId);
        public void Dispose() => _subscription.Dispose();
    }

    private async Task<Watched> WatchAsync()
    {
        var w = await TestWorld.CreateAsync(app);
        var clock = new FakeTimeProvider();
        var feed = ActivatorUtilities.CreateInstance<CampaignFeed>(app.Services, clock, Options.Create(new LiveOptions { SnapshotsPerSecond = PerSecond }));
        return new Watched(feed, w.CampaignId, clock);
    }

    [Fact]
    public async Task A_burst_of_a_thousand_changes_in_one_second_pushes_at_most_N_snapshots_plus_the_first()
    {
        using var watched = await WatchAsync();

        for (var i = 0; i < 1_000; i++)
        {
            watched.Change();
            watched.Clock.Advance(TimeSpan.FromMilliseconds(1));
            // Let the pump run between changes, as it would between real writes.
            if (i % 10 == 0) await Task.Delay(2);
        }
        var inBurst = watched.Pushes;

        // The first change goes out at once; after it, one snapshot per interval at most.
        Assert.InRange(inBurst, 1, 1 + (int)PerSecond);
    }

    [Fact]
    public async Task The_last_change_of_a_burst_is_pushed_within_one_interval_and_nothing_after()
    {
        using var watched = await WatchAsync();

        watched.Change();
        await WaitUntilAsync(() => watched.Pushes == 1);
        watched.Change();
        await Task.Delay(50);
        Assert.Equal(1, watched.Pushes); // held: the interval has not passed on the fake clock

        watched.Clock.Advance(TimeSpan.FromSeconds(1 / PerSecond));
        await WaitUntilAsync(() => watched.Pushes == 2);
        watched.Clock.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.Equal(2, watched.Pushes); // nothing changed since: no snapshot without a change
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the feed did not push in 30 s");
            await Task.Delay(5);
        }
    }
}
