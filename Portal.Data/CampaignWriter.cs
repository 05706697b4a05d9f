using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Campaigns;

namespace Portal.Data;

/// <summary>
/// The one writer of what dashboards show. Votes, vote tickets, ledger entries (quick entry, CSV, till API), corrections, remittances
/// and lifecycle steps all reach the database here, once the domain has decided them: the rows, each running total's
/// delta (campaign, establishment, candidate), the campaign's <see cref="Campaign.Sequence"/>, and the events, which
/// are published when the caller's transaction commits and dropped if it does not.
/// </summary>
public static class CampaignWriter
{
    /// <summary>Applies <paramref name="changes"/> inside the caller's transaction, each campaign's totals moved once.</summary>
    public static async Task ApplyAsync(this PortalDbContext db, IEnumerable<CampaignChange> changes, CancellationToken cancellationToken = default)
    {
        // Each campaign's totals and events, gathered over the batch; the rows go to the context as they come.
        var byCampaign = new Dictionary<int, (TotalsDelta Totals, List<ICampaignEvent> Events)>();
        foreach (var change in changes.Where(c => !c.IsEmpty))
        {
            db.Donations.AddRange(change.Entries);
            db.Remittances.AddRange(change.Remittances);
            db.Votes.AddRange(change.NewVotes);
            db.VoteTickets.AddRange(change.Tickets);
            if (!byCampaign.TryGetValue(change.CampaignId, out var campaign))
                byCampaign[change.CampaignId] = campaign = (new TotalsDelta(), []);
            campaign.Totals.Add(change.Totals);
            campaign.Events.AddRange(change.Events);
        }
        // With the rows, the edits the caller made to what it loaded tracked: a new status, a moved vote.
        await db.SaveChangesAsync(cancellationToken);

        var missingTallies = false;
        foreach (var (campaignId, (totals, events)) in byCampaign)
        {
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
            db.PendingEvents.AddRange(events);
        }
        if (missingTallies) await db.SaveChangesAsync(cancellationToken);
    }

    public static Task ApplyAsync(this PortalDbContext db, CampaignChange change, CancellationToken cancellationToken = default) =>
        db.ApplyAsync([change], cancellationToken);
}

/// <summary>
/// The running totals' increments, run only by <see cref="CampaignWriter"/>: set-based (never read-modify-write, so
/// concurrent commits cannot overwrite each other). Every commit runs them again with new values: as LINQ
/// ExecuteUpdate each cost more in building the query (parameter extraction, query-cache lookup) than in running it,
/// and EF Core 10 cannot compile ExecuteUpdate ahead. So the statements are written once per model, from its own
/// table and column names quoted by its provider, and run as parameterised SQL: the same statement on every engine.
/// </summary>
internal static class RunningTotals
{
    private static readonly ConcurrentDictionary<IModel, Statements> ByModel = new();

    /// <summary>Adds a change's totals to its campaign and moves the campaign's sequence on, so dashboards see a new snapshot.</summary>
    public static Task<int> MoveCampaignAsync(PortalDbContext db, int campaignId, TotalsDelta delta, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(For(db).CampaignSql,
            [campaignId, delta.CollectedCents, delta.Solidons, delta.Entries, delta.VotesCast, delta.TicketVotesCast], cancellationToken);

    /// <summary>Adds a change's amounts to one establishment's tally in one campaign; 0 when the tally does not exist yet.</summary>
    public static Task<int> MoveTallyAsync(PortalDbContext db, int campaignId, int establishmentId, PlaceDelta delta, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(For(db).TallySql,
            [campaignId, establishmentId, delta.CollectedCents, delta.Solidons, delta.Bills, delta.SolidonsOnCountedBills, delta.Entries, delta.RemittedCents],
            cancellationToken);

    public static Task<int> MoveCandidateAsync(PortalDbContext db, int campaignId, int projectId, int votes, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(For(db).CandidateSql, [campaignId, projectId, votes], cancellationToken);

    private static Statements For(PortalDbContext db) =>
        ByModel.GetOrAdd(db.Model, model => new Statements(model, db.GetService<ISqlGenerationHelper>()));

    private sealed class Statements(IModel model, ISqlGenerationHelper sql)
    {
        // {0}, {1}... are EF's raw-SQL parameter slots: each becomes a provider parameter, never text.
        public string CampaignSql { get; } = Update<Campaign>(model, sql,
            [nameof(Campaign.Id)],
            [(nameof(Campaign.CollectedCents), 1), (nameof(Campaign.Solidons), 2), (nameof(Campaign.Entries), 3), (nameof(Campaign.VotesCast), 4),
             (nameof(Campaign.TicketVotesCast), 5)],
            bump: nameof(Campaign.Sequence));

        public string TallySql { get; } = Update<EstablishmentTally>(model, sql,
            [nameof(EstablishmentTally.CampaignId), nameof(EstablishmentTally.EstablishmentId)],
            [(nameof(EstablishmentTally.CollectedCents), 2), (nameof(EstablishmentTally.Solidons), 3), (nameof(EstablishmentTally.Bills), 4),
             (nameof(EstablishmentTally.SolidonsOnCountedBills), 5), (nameof(EstablishmentTally.Entries), 6), (nameof(EstablishmentTally.RemittedCents), 7)]);

        public string CandidateSql { get; } = Update<CampaignCandidate>(model, sql,
            [nameof(CampaignCandidate.CampaignId), nameof(CampaignCandidate.ProjectId)],
            [(nameof(CampaignCandidate.Votes), 2)]);

        /// <summary><c>UPDATE t SET c = c + {slot}, ... WHERE key0 = {0} AND key1 = {1}</c>, names taken from the model.</summary>
        private static string Update<T>(IModel model, ISqlGenerationHelper sql, string[] keys, (string Property, int Slot)[] increments, string? bump = null)
        {
            var entity = model.FindEntityType(typeof(T))!;
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
            var sets = increments.Select(i => $"{Column(i.Property)} = {Column(i.Property)} + {{{i.Slot}}}");
            if (bump is not null) sets = sets.Append($"{Column(bump)} = {Column(bump)} + 1");
            var where = keys.Select((key, slot) => $"{Column(key)} = {{{slot}}}");
            return $"UPDATE {sql.DelimitIdentifier(table.Name, table.Schema)} SET {string.Join(", ", sets)} WHERE {string.Join(" AND ", where)}";
        }
    }
}
