using Microsoft.EntityFrameworkCore;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Tests.Support;
using Portal.Web.Features.Campaigns;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Live;
using Portal.Web.Features.Votes;

namespace Portal.Tests.Data;

/// <summary>
/// Every mutation a dashboard shows goes through the one writer: each moves the campaign's sequence by exactly one,
/// and its event reaches the live feed after commit; a refused or empty write moves nothing.
/// </summary>
public class CampaignWriterTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    [Fact]
    public async Task Each_change_moves_the_sequence_once_and_its_snapshot_reaches_the_feed()
    {
        var w = await TestWorld.CreateAsync(app);
        var feed = app.Get<CampaignFeed>();
        var votes = app.Get<VoteService>();
        var ledger = app.Get<DonationLedger>();
        var voter = await w.ContributorAsync(app);
        // Read once now: from here on the feed reads the database again only when an event marks the campaign dirty.
        var shown = await feed.CurrentAsync(w.CampaignId);
        Assert.NotNull(shown);
        var sequence = await SequenceAsync(w.CampaignId);
        Assert.Equal(sequence, shown.Version);

        async Task<CampaignSnapshot> StepAsync(string what, Func<Task> write, int moves = 1)
        {
            await write();
            var now = await SequenceAsync(w.CampaignId);
            Assert.True(sequence + moves == now, $"{what}: the sequence moved from {sequence} to {now}, expected {moves}");
            sequence = now;
            return moves == 0 ? (await feed.CurrentAsync(w.CampaignId))! : await SnapshotAsync(feed, w.CampaignId, now);
        }

        var s = await StepAsync("first vote", () => votes.CastAsync(voter, new CastVote(w.CampaignId, w.ProjectA, null)));
        Assert.Equal((1, 1), (s.VotesCast, s.Projects.Single(p => p.ProjectId == w.ProjectA).Votes));
        s = await StepAsync("same vote again", () => votes.CastAsync(voter, new CastVote(w.CampaignId, w.ProjectA, null)), moves: 0);
        Assert.Equal(1, s.VotesCast);
        s = await StepAsync("moved vote", () => votes.CastAsync(voter, new CastVote(w.CampaignId, w.ProjectB, null)));
        Assert.Equal((1, 0, 1), (s.VotesCast, s.Projects.Single(p => p.ProjectId == w.ProjectA).Votes, s.Projects.Single(p => p.ProjectId == w.ProjectB).Votes));

        DonationEntry entry = null!;
        s = await StepAsync("quick entry", async () => entry = await ledger.LogAsync(w.MerchantA,
            new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 12.5m, Solidons = 5 }, EntrySource.Till));
        Assert.Equal((1250L, 5L, 1), (s.CollectedCents, s.Solidons, s.Entries));
        s = await StepAsync("CSV batch", () => ledger.LogBatchAsync(w.MerchantB,
        [
            new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentB, Amount = 3m, Solidons = 2 },
            new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentB, Amount = 4m, Solidons = 2 },
        ], EntrySource.Csv));
        Assert.Equal((1950L, 9L, 3), (s.CollectedCents, s.Solidons, s.Entries));
        s = await StepAsync("correction", () => ledger.ReverseAsync(w.MerchantA, new ReverseDonation { EntryId = entry.Id, Reason = "Erreur de saisie" }));
        Assert.Equal((700L, 4L, 4), (s.CollectedCents, s.Solidons, s.Entries));
        await StepAsync("remittance", () => app.Get<RemittanceService>().RecordAsync(w.MerchantB, new RecordRemittance
        {
            CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentB, Amount = 5m, RemittedOn = DateTime.UtcNow.Date, Reference = "VIR-1",
        }));
        await StepAsync("refused entry", () => Assert.ThrowsAsync<DomainException>(() => ledger.LogAsync(w.MerchantA,
            new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 500m, Solidons = 1 })), moves: 0);

        var version = await VersionAsync(w.CampaignId);
        s = await StepAsync("close", () => app.Get<CampaignLifecycle>().CloseAsync(w.Admin, w.CampaignId, version));
        Assert.Equal(nameof(CampaignStatus.Closed), s.Status);
        await StepAsync("vote after close", () => Assert.ThrowsAsync<DomainException>(() =>
            votes.CastAsync(voter, new CastVote(w.CampaignId, w.ProjectA, null))), moves: 0);

        await using var db = app.CreateDbContext();
        var tally = await db.EstablishmentTallies.AsNoTracking().SingleAsync(t => t.CampaignId == w.CampaignId && t.EstablishmentId == w.EstablishmentB);
        Assert.Equal((700L, 500L, 2), (tally.CollectedCents, tally.RemittedCents, tally.Entries));
        Assert.Empty(await app.Get<LedgerReconciliation>().CheckAsync(w.CampaignId));
    }

    private async Task<long> SequenceAsync(int campaignId)
    {
        await using var db = app.CreateDbContext();
        return await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.Sequence).SingleAsync();
    }

    private async Task<int> VersionAsync(int campaignId)
    {
        await using var db = app.CreateDbContext();
        return await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.Version).SingleAsync();
    }

    /// <summary>The feed's snapshot at <paramref name="version"/>: reached only if the write's event marked the campaign dirty.</summary>
    private static async Task<CampaignSnapshot> SnapshotAsync(CampaignFeed feed, int campaignId, long version)
    {
        var reached = new TaskCompletionSource<CampaignSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = feed.Subscribe(campaignId, s =>
        {
            if (s.Version >= version) reached.TrySetResult(s);
            return Task.CompletedTask;
        });
        // The feed settles on its last snapshot when no event is pending: without the event this stays stale.
        if (await feed.CurrentAsync(campaignId) is { } current && current.Version >= version) return current;
        return await reached.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
