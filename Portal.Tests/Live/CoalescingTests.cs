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

    private CampaignFeed FeedOn(FakeTimeProvider clock) => ActivatorUtilities.CreateInstance<CampaignFeed>(
        app.Services, clock, Options.Create(new LiveOptions { SnapshotsPerSecond = PerSecond }));

    [Fact]
    public async Task A_burst_of_a_thousand_changes_in_one_second_pushes_at_most_N_snapshots_plus_the_first()
    {
        var w = await TestWorld.CreateAsync(app);
        var clock = new FakeTimeProvider();
        var feed = FeedOn(clock);
        var pushes = 0;
        using var _ = feed.Subscribe(w.CampaignId, _ => { Interlocked.Increment(ref pushes); return Task.CompletedTask; });

        for (var i = 0; i < 1_000; i++)
        {
            feed.MarkDirty(w.CampaignId);
            clock.Advance(TimeSpan.FromMilliseconds(1));
            // Let the pump run between changes, as it would between real writes.
            if (i % 10 == 0) await Task.Delay(2);
        }
        var inBurst = Volatile.Read(ref pushes);

        // The first change goes out at once; after it, one snapshot per interval at most.
        Assert.InRange(inBurst, 1, 1 + (int)PerSecond);
    }

    [Fact]
    public async Task The_last_change_of_a_burst_is_pushed_within_one_interval_and_nothing_after()
    {
        var w = await TestWorld.CreateAsync(app);
        var clock = new FakeTimeProvider();
        var feed = FeedOn(clock);
        var pushes = 0;
        using var _ = feed.Subscribe(w.CampaignId, _ => { Interlocked.Increment(ref pushes); return Task.CompletedTask; });

        feed.MarkDirty(w.CampaignId);
        await WaitUntilAsync(() => Volatile.Read(ref pushes) == 1);
        feed.MarkDirty(w.CampaignId);
        await Task.Delay(50);
        Assert.Equal(1, Volatile.Read(ref pushes)); // held: the interval has not passed on the fake clock

        clock.Advance(TimeSpan.FromSeconds(1 / PerSecond));
        await WaitUntilAsync(() => Volatile.Read(ref pushes) == 2);
        clock.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.Equal(2, Volatile.Read(ref pushes)); // nothing changed since: no snapshot without a change
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
