using Microsoft.EntityFrameworkCore;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Tests.Support;
using Portal.Web.Features;
using Portal.Web.Features.Campaigns;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Votes;

namespace Portal.Tests.Data;

public class LedgerPersistenceTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    private DonationLedger Ledger => app.Get<DonationLedger>();

    private static LogDonation Entry(TestWorld w, int establishment, decimal euros, int solidons = 3) =>
        new() { CampaignId = w.CampaignId, EstablishmentId = establishment, Amount = euros, Solidons = solidons };

    [Fact]
    public async Task Running_totals_match_the_ledger_after_concurrent_entries_and_reversals()
    {
        var w = await TestWorld.CreateAsync(app);
        var entries = await Task.WhenAll(Enumerable.Range(1, 40).Select(i => i % 2 == 0
            ? Ledger.LogAsync(w.MerchantA, Entry(w, w.EstablishmentA, i * 0.25m + 1))
            : Ledger.LogAsync(w.MerchantB, Entry(w, w.EstablishmentB, i * 0.5m))));
        await Task.WhenAll(entries.Where((_, i) => i % 5 == 0).Select(e =>
            Ledger.ReverseAsync(e.EstablishmentId == w.EstablishmentA ? w.MerchantA : w.MerchantB, new ReverseDonation { EntryId = e.Id, Reason = "Doublon" })));

        Assert.Empty(await app.Get<LedgerReconciliation>().CheckAsync(w.CampaignId));
        await using var db = app.CreateDbContext();
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == w.CampaignId);
        var expected = entries.Where((_, i) => i % 5 != 0).Sum(e => e.Amount.Cents);
        Assert.Equal(expected, campaign.CollectedCents);
        Assert.Equal(48, campaign.Entries);
    }

    [Fact]
    public async Task Every_running_total_of_a_place_moves_with_its_entries_bills_and_reversals()
    {
        // The increments are SQL written from the model (RunningTotals): each column must move, and only its own.
        var w = await TestWorld.CreateAsync(app);
        var counted = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => Ledger.LogAsync(w.MerchantA,
            new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = i, Solidons = i, Bills = 10 * i })));
        await Ledger.LogBatchAsync(w.MerchantA, [Entry(w, w.EstablishmentA, 2.5m, solidons: 4)], EntrySource.Csv);
        await Ledger.LogAsync(w.MerchantB, Entry(w, w.EstablishmentB, 7m, solidons: 5));
        await Ledger.ReverseAsync(w.MerchantA, new ReverseDonation { EntryId = counted.Single(e => e.Solidons == 6).Id, Reason = "Doublon" });

        Assert.Empty(await app.Get<LedgerReconciliation>().CheckAsync(w.CampaignId));
        await using var db = app.CreateDbContext();
        var a = await db.EstablishmentTallies.AsNoTracking().SingleAsync(t => t.CampaignId == w.CampaignId && t.EstablishmentId == w.EstablishmentA);
        // Entries 1..6 counted their bills (10..60), one did not, the entry of 6 was reversed (an eighth entry, negated).
        Assert.Equal((1750L, 19, 150, 15, 8, 0L), (a.CollectedCents, a.Solidons, a.Bills, a.SolidonsOnCountedBills, a.Entries, a.RemittedCents));
        var campaign = await db.Campaigns.AsNoTracking().IgnoreAutoIncludes().SingleAsync(c => c.Id == w.CampaignId);
        Assert.Equal((2450L, 24, 9), (campaign.CollectedCents, campaign.Solidons, campaign.Entries));
    }

    [Fact]
    public async Task Appended_entries_read_back_exactly_as_written_with_the_ids_they_were_given()
    {
        // Every column stored and read back as written, ids included, on each engine.
        var w = await TestWorld.CreateAsync(app);
        // Within the campaign's period, in Paris summer time, to the second.
        var hourAgo = DateTime.UtcNow.AddHours(-1);
        var collectedAt = new DateTimeOffset(hourAgo.Ticks - hourAgo.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(2));
        var written = await Ledger.LogBatchAsync(w.MerchantA,
        [
            new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 12.34m, Solidons = 7, Bills = 40, CollectedAt = collectedAt },
            new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 0.5m, Solidons = 1 },
        ], EntrySource.Csv);

        await using var db = app.CreateDbContext();
        var stored = await db.Donations.AsNoTracking().Where(d => d.CampaignId == w.CampaignId).OrderBy(d => d.Id).ToListAsync();
        Assert.Equal(written.Select(e => e.Id), stored.Select(e => e.Id));
        Assert.All(written, e => Assert.True(e.Id > 0));
        var (first, second) = (stored[0], stored[1]);
        Assert.Equal((1234L, 7, 40, collectedAt, EntrySource.Csv, w.MerchantA.UserId), (first.AmountCents, first.Solidons, first.Bills, first.CollectedAt, first.Source, first.LoggedBy));
        // SQLite keeps the offset the till gave; PostgreSQL's timestamptz keeps the instant, in UTC.
        Assert.Equal(db.Database.IsSqlite() ? TimeSpan.FromHours(2) : TimeSpan.Zero, first.CollectedAt.Offset);
        Assert.True((written[0].LoggedAt - first.LoggedAt).Duration() < TimeSpan.FromMilliseconds(1)); // stored to 0.1 ms
        Assert.Null(second.Bills);
        Assert.Null(second.ReversesEntryId);
        Assert.Null(second.Reason);
        // A reversal finds and points at an appended entry.
        var reversal = await Ledger.ReverseAsync(w.MerchantA, new ReverseDonation { EntryId = written[0].Id, Reason = "Erreur de saisie" });
        Assert.Equal(written[0].Id, reversal.ReversesEntryId);
    }

    [Fact]
    public async Task A_place_stays_refused_by_another_networks_campaign_once_its_network_is_remembered()
    {
        // The ledger remembers each place's network after reading it once: the second refusal comes from that memory.
        var w = await TestWorld.CreateAsync(app);
        var other = await TestWorld.CreateAsync(app);
        await Ledger.LogAsync(other.MerchantA, Entry(other, other.EstablishmentA, 2));
        var elsewhere = new LogDonation { CampaignId = w.CampaignId, EstablishmentId = other.EstablishmentA, Amount = 9, Solidons = 1 };

        for (var attempt = 0; attempt < 2; attempt++)
            Assert.Equal("donation.other_network", (await Assert.ThrowsAsync<DomainException>(() => Ledger.LogAsync(other.MerchantA, elsewhere))).Code);
        await Ledger.LogAsync(other.MerchantA, Entry(other, other.EstablishmentA, 3));

        await using var db = app.CreateDbContext();
        Assert.Equal(0, await db.Donations.CountAsync(d => d.CampaignId == w.CampaignId));
        Assert.Equal(500, (await db.Campaigns.SingleAsync(c => c.Id == other.CampaignId)).CollectedCents);
    }

    [Fact]
    public async Task Concurrent_appends_share_commits_yet_a_refused_one_sinks_none_of_the_others()
    {
        var w = await TestWorld.CreateAsync(app);
        var other = await TestWorld.CreateAsync(app);
        // Every fourth append names a place of another network: refused by the domain while its neighbours commit.
        var attempts = Enumerable.Range(1, 80).Select(i => i % 4 == 0
            ? Ledger.LogAsync(other.MerchantA, new LogDonation { CampaignId = w.CampaignId, EstablishmentId = other.EstablishmentA, Amount = 9, Solidons = 1 })
            : Ledger.LogAsync(w.MerchantA, Entry(w, w.EstablishmentA, i, solidons: i))).ToList();
        var settled = await Task.WhenAll(attempts.Select(async a => { try { return ((DonationEntry?)await a, (Exception?)null); } catch (Exception e) { return (null, e); } }));

        Assert.Equal(20, settled.Count(s => s.Item2 is DomainException { Code: "donation.other_network" }));
        Assert.Equal(60, settled.Count(s => s.Item1 is not null));
        await using var db = app.CreateDbContext();
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == w.CampaignId);
        Assert.Equal(Enumerable.Range(1, 80).Where(i => i % 4 != 0).Sum() * 100L, campaign.CollectedCents);
        Assert.Equal(60, campaign.Entries);
        Assert.Equal(60, await db.Donations.CountAsync(d => d.CampaignId == w.CampaignId));
        Assert.Empty(await app.Get<LedgerReconciliation>().CheckAsync(w.CampaignId));
    }

    [Fact]
    public async Task A_merchant_cannot_log_for_another_establishment_and_nothing_is_written()
    {
        var w = await TestWorld.CreateAsync(app);
        await Assert.ThrowsAsync<ForbiddenException>(() => Ledger.LogAsync(w.MerchantA, Entry(w, w.EstablishmentB, 10)));
        await using var db = app.CreateDbContext();
        Assert.False(await db.Donations.AnyAsync(d => d.CampaignId == w.CampaignId));
    }

    [Fact]
    public async Task A_merchant_cannot_reverse_another_establishments_entry()
    {
        var w = await TestWorld.CreateAsync(app);
        var entry = await Ledger.LogAsync(w.MerchantB, Entry(w, w.EstablishmentB, 10));
        await Assert.ThrowsAsync<ForbiddenException>(() => Ledger.ReverseAsync(w.MerchantA, new ReverseDonation { EntryId = entry.Id, Reason = "Erreur" }));
        Assert.Empty(await app.Get<LedgerReconciliation>().CheckAsync(w.CampaignId));
    }

    [Fact]
    public async Task An_entry_for_a_closed_campaign_is_refused_and_nothing_is_written()
    {
        var w = await TestWorld.CreateAsync(app);
        await app.Get<CampaignLifecycle>().CloseAsync(w.Admin, w.CampaignId, 1);
        var error = await Assert.ThrowsAsync<DomainException>(() => Ledger.LogAsync(w.MerchantA, Entry(w, w.EstablishmentA, 10)));
        Assert.Equal("donation.campaign_not_open", error.Code);
        await using var db = app.CreateDbContext();
        Assert.Equal(0, (await db.Campaigns.SingleAsync(c => c.Id == w.CampaignId)).Entries);
    }

    [Fact]
    public async Task Invalid_input_is_refused_by_the_validator_before_anything_is_written()
    {
        var w = await TestWorld.CreateAsync(app);
        var error = await Assert.ThrowsAsync<FluentValidation.ValidationException>(() =>
            Ledger.LogAsync(w.MerchantA, new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 1.234m, Solidons = 0 }));
        Assert.Contains(error.Errors, e => e.PropertyName == nameof(LogDonation.Amount));
        Assert.Contains(error.Errors, e => e.PropertyName == nameof(LogDonation.Solidons));
        await using var db = app.CreateDbContext();
        Assert.False(await db.Donations.AnyAsync(d => d.CampaignId == w.CampaignId));
    }

    [Fact]
    public async Task A_hundred_parallel_votes_by_one_contributor_count_once()
    {
        var w = await TestWorld.CreateAsync(app);
        var ana = await w.ContributorAsync(app);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => app.Get<VoteService>().CastAsync(ana, new CastVote(w.CampaignId, w.ProjectA, null))));

        Assert.Equal(1, outcomes.Count(o => o == VoteOutcome.Counted));
        await using var db = app.CreateDbContext();
        Assert.Equal(1, await db.Votes.CountAsync(v => v.CampaignId == w.CampaignId));
        Assert.Equal(1, (await db.Campaigns.SingleAsync(c => c.Id == w.CampaignId)).VotesCast);
        Assert.Empty(await app.Get<LedgerReconciliation>().CheckAsync(w.CampaignId));
    }

    [Fact]
    public async Task Votes_cast_at_once_each_count_move_or_are_refused_on_their_own()
    {
        var w = await TestWorld.CreateAsync(app);
        var other = await TestWorld.CreateAsync(app);
        var votes = app.Get<VoteService>();
        var people = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => w.ContributorAsync(app)));
        await Task.WhenAll(people.Take(10).Select(p => votes.CastAsync(p, new CastVote(w.CampaignId, w.ProjectA, null))));

        // At once: ten move A -> B, twenty vote B for the first time, and ten name a project of another campaign.
        var moves = people.Take(10).Select(p => votes.CastAsync(p, new CastVote(w.CampaignId, w.ProjectB, null)));
        var firsts = people.Skip(10).Select(p => votes.CastAsync(p, new CastVote(w.CampaignId, w.ProjectB, null)));
        var refused = people.Take(10).Select(p => Assert.ThrowsAsync<DomainException>(() => votes.CastAsync(p, new CastVote(w.CampaignId, other.ProjectA, null))));
        var outcomes = await Task.WhenAll(moves.Concat(firsts));
        var errors = await Task.WhenAll(refused);

        Assert.Equal(10, outcomes.Count(o => o == VoteOutcome.Moved));
        Assert.Equal(20, outcomes.Count(o => o == VoteOutcome.Counted));
        Assert.All(errors, e => Assert.Equal("vote.not_candidate", e.Code));
        await using var db = app.CreateDbContext();
        var candidates = await db.Candidates.Where(c => c.CampaignId == w.CampaignId).ToDictionaryAsync(c => c.ProjectId, c => c.Votes);
        Assert.Equal(0, candidates[w.ProjectA]);
        Assert.Equal(30, candidates[w.ProjectB]);
        Assert.Equal(30, (await db.Campaigns.SingleAsync(c => c.Id == w.CampaignId)).VotesCast);
        Assert.Equal(30, await db.Votes.CountAsync(v => v.CampaignId == w.CampaignId && v.ProjectId == w.ProjectB));
    }

    [Fact]
    public async Task Moving_a_vote_moves_the_counts_in_the_database()
    {
        var w = await TestWorld.CreateAsync(app);
        var ana = await w.ContributorAsync(app);
        var votes = app.Get<VoteService>();
        await votes.CastAsync(ana, new CastVote(w.CampaignId, w.ProjectA, w.EstablishmentA));
        Assert.Equal(VoteOutcome.Moved, await votes.CastAsync(ana, new CastVote(w.CampaignId, w.ProjectB, null)));

        await using var db = app.CreateDbContext();
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == w.CampaignId);
        Assert.Equal(0, campaign.Candidates.Single(c => c.ProjectId == w.ProjectA).Votes);
        Assert.Equal(1, campaign.Candidates.Single(c => c.ProjectId == w.ProjectB).Votes);
        Assert.Equal(w.EstablishmentA, (await db.Votes.SingleAsync(v => v.CampaignId == w.CampaignId)).ViaEstablishmentId);
    }

    [Fact]
    public async Task Two_staff_acting_on_the_same_campaign_version_one_wins_and_the_other_is_told()
    {
        var w = await TestWorld.CreateAsync(app);
        var lifecycle = app.Get<CampaignLifecycle>();
        var results = await Task.WhenAll(
            Capture(() => lifecycle.CloseAsync(w.Admin, w.CampaignId, seenVersion: 1)),
            Capture(() => lifecycle.CloseAsync(w.Admin, w.CampaignId, seenVersion: 1)));

        Assert.Single(results, r => r is null);
        Assert.Single(results, r => r is DbUpdateConcurrencyException or DomainException { Code: "campaign.transition" });
        await using var db = app.CreateDbContext();
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == w.CampaignId);
        Assert.Equal(CampaignStatus.Closed, campaign.Status);
        Assert.Equal(2, campaign.Version);
    }

    [Fact]
    public async Task A_stale_version_is_refused_even_when_the_change_itself_would_be_legal()
    {
        var w = await TestWorld.CreateAsync(app);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => app.Get<CampaignLifecycle>().CloseAsync(w.Admin, w.CampaignId, seenVersion: 0));
        await using var db = app.CreateDbContext();
        Assert.Equal(CampaignStatus.Open, (await db.Campaigns.SingleAsync(c => c.Id == w.CampaignId)).Status);
    }

    private static async Task<Exception?> Capture(Func<Task> action)
    {
        try { await action(); return null; }
        catch (Exception e) { return e; }
    }
}
