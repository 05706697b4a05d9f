using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Domain.Campaigns;

namespace Portal.Data;

/// <summary>
/// The ledger's running totals, moved by set-based increments (never read-modify-write, so concurrent commits cannot
/// overwrite each other). Every group commit runs both statements again with new values: as LINQ ExecuteUpdate each
/// cost more in building the query (parameter extraction, query-cache lookup) than in running it, and EF Core 10
/// cannot compile ExecuteUpdate ahead. So the statements are written once per model, from its own table and column
/// names quoted by the provider, and run as parameterised SQL on either provider.
/// </summary>
public static class RunningTotals
{
    private static readonly ConcurrentDictionary<IModel, Statements> ByModel = new();

    /// <summary>Adds a batch's amounts to its campaign and moves the campaign's sequence on, so dashboards see a new snapshot.</summary>
    public static Task<int> MoveCampaignAsync(PortalDbContext db, int campaignId, long cents, long solidons, int entries) =>
        db.Database.ExecuteSqlRawAsync(For(db).CampaignSql, campaignId, cents, solidons, entries);

    /// <summary>Adds a batch's amounts to one establishment's tally in one campaign; 0 when the tally does not exist yet.</summary>
    public static Task<int> MoveTallyAsync(PortalDbContext db, int campaignId, int establishmentId, long cents, long solidons,
        long bills, long solidonsOnCountedBills, int entries) =>
        db.Database.ExecuteSqlRawAsync(For(db).TallySql, campaignId, establishmentId, cents, solidons, bills, solidonsOnCountedBills, entries);

    private static Statements For(PortalDbContext db) =>
        ByModel.GetOrAdd(db.Model, model => new Statements(model, db.GetService<ISqlGenerationHelper>()));

    private sealed class Statements(IModel model, ISqlGenerationHelper sql)
    {
        // {0}, {1}... are EF's raw-SQL parameter slots: each becomes a provider parameter, never text.
        public string CampaignSql { get; } = Update<Campaign>(model, sql,
            [nameof(Campaign.Id)],
            [(nameof(Campaign.CollectedCents), 1), (nameof(Campaign.Solidons), 2), (nameof(Campaign.Entries), 3)],
            bump: nameof(Campaign.Sequence));

        public string TallySql { get; } = Update<EstablishmentTally>(model, sql,
            [nameof(EstablishmentTally.CampaignId), nameof(EstablishmentTally.EstablishmentId)],
            [(nameof(EstablishmentTally.CollectedCents), 2), (nameof(EstablishmentTally.Solidons), 3), (nameof(EstablishmentTally.Bills), 4),
             (nameof(EstablishmentTally.SolidonsOnCountedBills), 5), (nameof(EstablishmentTally.Entries), 6)]);

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
