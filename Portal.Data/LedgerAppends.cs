using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Domain.Campaigns;

namespace Portal.Data;

/// <summary>
/// Writes new ledger entries in the context's open transaction. Entries are only ever inserted, yet SaveChanges
/// tracks each one, plans a batch and generates its SQL again on every commit: about 70 % of a group commit's time
/// (measured by the benchmark). On SQLite the entries go through one prepared INSERT ... RETURNING instead, built
/// from the EF model (its table, columns and value conversions), and each entry gets its id as SaveChanges would
/// give it; other providers keep SaveChanges.
/// </summary>
public static class LedgerAppends
{
    private static readonly ConcurrentDictionary<IModel, InsertShape> Shapes = new();

    public static async Task InsertAsync(PortalDbContext db, IReadOnlyList<DonationEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0) return;
        if (!db.Database.IsSqlite() || db.Database.CurrentTransaction is not { } transaction)
        {
            db.Donations.AddRange(entries);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        var shape = Shapes.GetOrAdd(db.Model, model => new InsertShape(model.FindEntityType(typeof(DonationEntry))!));
        await using var command = (SqliteCommand)db.Database.GetDbConnection().CreateCommand();
        command.Transaction = (SqliteTransaction)transaction.GetDbTransaction();
        command.CommandText = shape.Sql;
        var parameters = shape.Columns.Select((_, i) => command.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
        foreach (var entry in entries)
        {
            for (var i = 0; i < parameters.Length; i++) parameters[i].Value = shape.Columns[i].Read(entry);
            var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            shape.SetId(entry, id);
        }
    }

    /// <summary>The INSERT of one entry and how to read each column's stored value, taken once from the model.</summary>
    private sealed class InsertShape
    {
        public InsertShape(IEntityType entity)
        {
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var id = entity.FindPrimaryKey()!.Properties.Single();
            // The id's setter is private to the domain, as it should be: only the store hands ids out.
            SetId = id.PropertyInfo!.GetSetMethod(nonPublic: true)!.CreateDelegate<Action<DonationEntry, long>>();
            Columns = [.. entity.GetProperties().Where(p => p != id).Select(p => new Column(p.GetColumnName(table)!, p))];
            Sql = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", Columns.Select(c => $"\"{c.Name}\""))}) " +
                  $"VALUES ({string.Join(", ", Columns.Select((_, i) => $"$p{i}"))}) RETURNING \"{id.GetColumnName(table)}\";";
        }

        public Action<DonationEntry, long> SetId { get; }
        public IReadOnlyList<Column> Columns { get; }
        public string Sql { get; }
    }

    private sealed record Column(string Name, IProperty Property)
    {
        // Both looked up once: Read runs for every column of every entry.
        private readonly IClrPropertyGetter _getter = Property.GetGetter();
        private readonly Func<object?, object?> _toStore = Property.GetTypeMapping().Converter is { } converter
            ? converter.ConvertToProvider
            : value => value;

        public object Read(DonationEntry entry) => _toStore(_getter.GetClrValue(entry)) ?? DBNull.Value;
    }
}
