using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Portal.Tests.Support;
using Portal.Web.Features;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Votes;

namespace Portal.Tests.Live;

public class HubConvergenceTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    [Fact]
    public async Task After_a_burst_of_concurrent_votes_and_donations_every_hub_clients_last_snapshot_equals_the_database()
    {
        var w = await TestWorld.CreateAsync(app);
        var contributors = new List<Actor>();
        for (var i = 0; i < 40; i++) contributors.Add(await w.ContributorAsync(app));
        var probes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => HubProbe.JoinAsync(app.BaseAddress, w.CampaignId)));

        var ledger = app.Get<DonationLedger>();
        var votes = app.Get<VoteService>();
        var writes = Enumerable.Range(0, 60).Select(i => (Func<Task>)(() => ledger.LogAsync(i % 2 == 0 ? w.MerchantA : w.MerchantB,
                new LogDonation { CampaignId = w.CampaignId, EstablishmentId = i % 2 == 0 ? w.EstablishmentA : w.EstablishmentB, Amount = 1m + i % 13, Solidons = 1 + i % 7 })))
            .Concat(contributors.Select((c, i) => (Func<Task>)(() => votes.CastAsync(c, new CastVote(w.CampaignId, i % 3 == 0 ? w.ProjectA : w.ProjectB, null)))));
        await Task.WhenAll(writes.Select(write => Task.Run(write)));

        await using var db = app.CreateDbContext();
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == w.CampaignId);
        await Task.WhenAll(probes.Select(p => p.WaitForVersionAsync(campaign.Sequence)));
        foreach (var probe in probes)
        {
            var shown = probe.Latest!;
            Assert.Equal(campaign.Sequence, shown.Version);
            Assert.Equal(campaign.CollectedCents, shown.CollectedCents);
            Assert.Equal(campaign.Solidons, shown.Solidons);
            Assert.Equal(campaign.VotesCast, shown.VotesCast);
            Assert.Equal(40, shown.VotesCast);
            Assert.Equal(campaign.Candidates.Single(c => c.ProjectId == w.ProjectA).Votes, shown.Projects.Single(p => p.ProjectId == w.ProjectA).Votes);
        }
        foreach (var probe in probes) await probe.DisposeAsync();
    }

    [Fact]
    public async Task A_burst_is_coalesced_to_the_configured_rate_of_snapshots()
    {
        var w = await TestWorld.CreateAsync(app);
        await using var probe = await HubProbe.JoinAsync(app.BaseAddress, w.CampaignId);
        var ledger = app.Get<DonationLedger>();

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 150).Select(i => Task.Run(() => ledger.LogAsync(w.MerchantA,
            new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 1, Solidons = 1 }))));
        await using var db = app.CreateDbContext();
        var sequence = await db.Campaigns.Where(c => c.Id == w.CampaignId).Select(c => c.Sequence).SingleAsync();
        await probe.WaitForVersionAsync(sequence);
        var elapsed = clock.Elapsed;

        // The factory sets 10 snapshots a second: however long the burst took, no more than that rate (+ the first one
        // sent at once, + the last one after the burst) reached the client, and far fewer than the 150 writes.
        var allowed = (int)Math.Ceiling(elapsed.TotalSeconds * 10) + 2;
        Assert.InRange(probe.Received, 1, allowed);
        Assert.True(probe.Received < 150, $"{probe.Received} snapshots for 150 writes");
        Assert.Equal(150 * 100, probe.Latest!.CollectedCents);
    }

    [Fact]
    public async Task A_hub_client_that_reconnects_gets_the_current_snapshot_at_once()
    {
        var w = await TestWorld.CreateAsync(app);
        var first = await HubProbe.JoinAsync(app.BaseAddress, w.CampaignId);
        await first.DisposeAsync();
        // Changes happen while the client is away.
        await app.Get<DonationLedger>().LogAsync(w.MerchantB, new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentB, Amount = 12.34m, Solidons = 9 });
        await using var db = app.CreateDbContext();
        var sequence = await db.Campaigns.Where(c => c.Id == w.CampaignId).Select(c => c.Sequence).SingleAsync();
        // Join's own answer already holds the change: no waiting for a push.
        await using var again = await HubProbe.JoinAsync(app.BaseAddress, w.CampaignId);
        Assert.Equal(sequence, again.Latest!.Version);
        Assert.Equal(1234, again.Latest.CollectedCents);
        Assert.Equal(9, again.Latest.Solidons);
    }
}
