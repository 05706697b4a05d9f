using Microsoft.EntityFrameworkCore;
using Portal.Data;

namespace Portal.Web.Features.Campaigns;

public sealed record TotalsMismatch(string What, long RunningTotal, long LedgerSum);

/// <summary>
/// Compares every running total of a campaign with the sums of its ledgers. The live path trusts the running totals;
/// this is how staff (and the tests) check that they still tell the truth. Empty result: everything matches.
/// </summary>
public sealed class LedgerReconciliation(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<TotalsMismatch>> CheckAsync(int campaignId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mismatches = new List<TotalsMismatch>();
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == campaignId, cancellationToken);

        var ledger = await db.Donations.Where(d => d.CampaignId == campaignId)
            .GroupBy(d => d.EstablishmentId)
            .Select(g => new
            {
                EstablishmentId = g.Key, Cents = g.Sum(d => d.AmountCents), Solidons = g.Sum(d => d.Solidons), Entries = g.Count(),
                Bills = g.Sum(d => d.Bills ?? 0), SolidonsOnCountedBills = g.Sum(d => d.Bills != null ? d.Solidons : 0),
            })
            .ToListAsync(cancellationToken);
        var tallies = await db.EstablishmentTallies.AsNoTracking().Where(t => t.CampaignId == campaignId).ToListAsync(cancellationToken);

        Compare("campaign collected (cents)", campaign.CollectedCents, ledger.Sum(l => l.Cents));
        Compare("campaign solidons", campaign.Solidons, ledger.Sum(l => l.Solidons));
        Compare("campaign entries", campaign.Entries, ledger.Sum(l => l.Entries));
        foreach (var tally in tallies)
        {
            var sums = ledger.SingleOrDefault(l => l.EstablishmentId == tally.EstablishmentId);
            Compare($"establishment {tally.EstablishmentId} collected (cents)", tally.CollectedCents, sums?.Cents ?? 0);
            Compare($"establishment {tally.EstablishmentId} solidons", tally.Solidons, sums?.Solidons ?? 0);
            Compare($"establishment {tally.EstablishmentId} entries", tally.Entries, sums?.Entries ?? 0);
            Compare($"establishment {tally.EstablishmentId} bills", tally.Bills, sums?.Bills ?? 0);
            Compare($"establishment {tally.EstablishmentId} solidons on counted bills", tally.SolidonsOnCountedBills, sums?.SolidonsOnCountedBills ?? 0);
        }
        foreach (var orphan in ledger.Where(l => tallies.All(t => t.EstablishmentId != l.EstablishmentId)))
            Compare($"establishment {orphan.EstablishmentId} collected (cents)", 0, orphan.Cents);

        var votes = await db.Votes.Where(v => v.CampaignId == campaignId).GroupBy(v => v.ProjectId)
            .Select(g => new { ProjectId = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        foreach (var candidate in campaign.Candidates)
            Compare($"votes for project {candidate.ProjectId}", candidate.Votes, votes.SingleOrDefault(v => v.ProjectId == candidate.ProjectId)?.Count ?? 0);
        Compare("votes cast", campaign.VotesCast, votes.Sum(v => v.Count));

        var remitted = await db.Remittances.Where(r => r.CampaignId == campaignId).GroupBy(r => r.EstablishmentId)
            .Select(g => new { EstablishmentId = g.Key, Cents = g.Sum(r => r.AmountCents) }).ToListAsync(cancellationToken);
        foreach (var tally in tallies)
            Compare($"establishment {tally.EstablishmentId} remitted (cents)", tally.RemittedCents, remitted.SingleOrDefault(r => r.EstablishmentId == tally.EstablishmentId)?.Cents ?? 0);
        return mismatches;

        void Compare(string what, long running, long sum)
        {
            if (running != sum) mismatches.Add(new TotalsMismatch(what, running, sum));
        }
    }
}
