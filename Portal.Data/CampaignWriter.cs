using Portal.Domain.Campaigns;

namespace Portal.Data;

/// <summary>
/// The one writer of what dashboards show. Votes, ledger entries (quick entry, CSV, till API), corrections, remittances
/// and lifecycle steps all reach the database here, once the domain has decided them: the rows, each running total's
/// delta (campaign, establishment, candidate), the campaign's <see cref="Campaign.Sequence"/>, and the events, which
/// are published when the caller's transaction commits and dropped if it does not.
/// </summary>
public static class CampaignWriter
{
    /// <summary>Applies <paramref name="changes"/> inside the caller's transaction, each campaign's totals moved once.</summary>
    public static async Task ApplyAsync(this PortalDbContext db, IEnumerable<CampaignChange> changes, CancellationToken cancellationToken = default)
    {
        var byCampaign = new Dictionary<int, CampaignChange>();
        foreach (var change in changes.Where(c => !c.IsEmpty))
        {
            db.Donations.AddRange(change.Entries);
            db.Remittances.AddRange(change.Remittances);
            db.Votes.AddRange(change.NewVotes);
            if (!byCampaign.TryGetValue(change.CampaignId, out var merged))
                byCampaign[change.CampaignId] = merged = new CampaignChange(change.CampaignId);
            merged.Merge(change);
        }
        // With the rows, the edits the caller made to what it loaded tracked: a new status, a moved vote.
        await db.SaveChangesAsync(cancellationToken);

        var missingTallies = false;
        foreach (var (campaignId, change) in byCampaign)
        {
            var totals = change.Totals;
            await RunningTotals.MoveCampaignAsync(db, campaignId, totals, cancellationToken);
            foreach (var (establishmentId, place) in totals.Places)
            {
                if (await RunningTotals.MoveTallyAsync(db, campaignId, establishmentId, place, cancellationToken) > 0) continue;
                // An establishment that joined the network after the campaign opened: its first entry starts its tally.
                db.EstablishmentTallies.Add(EstablishmentTally.Starting(campaignId, establishmentId, place));
                missingTallies = true;
            }
            foreach (var (projectId, votes) in totals.VotesByProject)
                await RunningTotals.MoveCandidateAsync(db, campaignId, projectId, votes, cancellationToken);
            db.PendingEvents.AddRange(change.Events);
        }
        if (missingTallies) await db.SaveChangesAsync(cancellationToken);
    }

    public static Task ApplyAsync(this PortalDbContext db, CampaignChange change, CancellationToken cancellationToken = default) =>
        db.ApplyAsync([change], cancellationToken);
}
