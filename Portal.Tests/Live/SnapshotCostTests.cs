using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Data;
using Portal.Tests.Support;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Live;

namespace Portal.Tests.Live;

[Trait("Engine", "Sqlite")] // SQLite itself is under test here; the PostgreSQL pass skips it
public class SnapshotCostTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    [Fact]
    public async Task A_snapshot_reads_running_totals_in_three_queries_whatever_the_ledger_size()
    {
        var w = await TestWorld.CreateAsync(app);
        var (smallCount, smallSql) = await SnapshotCommandsAsync(w.CampaignId);
        var ledger = app.Get<DonationLedger>();
        for (var i = 0; i < 300; i++)
            await ledger.LogAsync(w.MerchantA, new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 1, Solidons = 1 });
        var (largeCount, largeSql) = await SnapshotCommandsAsync(w.CampaignId);

        Assert.Equal(3, smallCount);
        Assert.Equal(smallCount, largeCount);
        // No aggregate over the ledger: totals come from the running-total columns.
        Assert.DoesNotContain(largeSql, sql => sql.Contains("SUM(", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(largeSql, sql => sql.Contains("COUNT(", StringComparison.OrdinalIgnoreCase) && sql.Contains("\"DonationEntries\""));
        Assert.Equal(smallSql, largeSql);
    }

    [Fact]
    public async Task A_snapshot_never_scans_or_sorts_the_ledger()
    {
        // The feed's newest entries came from sorting every entry of the campaign, read four times a second while
        // tills write: a cost that grew with the ledger, which counting queries does not show. SQLite's plan does.
        var w = await TestWorld.CreateAsync(app);
        var ledger = app.Get<DonationLedger>();
        for (var i = 0; i < 20; i++)
            await ledger.LogAsync(i % 2 == 0 ? w.MerchantA : w.MerchantB, new LogDonation
            {
                CampaignId = w.CampaignId, EstablishmentId = i % 2 == 0 ? w.EstablishmentA : w.EstablishmentB, Amount = 1, Solidons = 1,
            });
        var recorder = new CommandRecorder();
        await ReadSnapshotAsync(w.CampaignId, recorder);

        await using var connection = new SqliteConnection(app.Get<DatabaseSettings>().ConnectionString);
        await connection.OpenAsync();
        var ledgerSteps = 0;
        foreach (var (sql, parameters) in recorder.Executed)
        {
            var plan = await PlanAsync(connection, sql, parameters);
            // EF aliases the table ("d"): the ledger's steps are the ones that name it or one of its indexes.
            foreach (var step in plan.Where(s => s.Detail.Contains("DonationEntries")))
            {
                ledgerSteps++;
                Assert.StartsWith("SEARCH ", step.Detail);
                Assert.DoesNotContain(plan, s => s.Parent == step.Parent && s.Detail.StartsWith("USE TEMP B-TREE"));
            }
        }
        Assert.True(ledgerSteps > 0, "The snapshot reads the newest entries from the ledger.");
    }

    private static async Task<List<(int Parent, string Detail)>> PlanAsync(SqliteConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters) explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        var plan = new List<(int Parent, string Detail)>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add((reader.GetInt32(1), reader.GetString(3)));
        return plan;
    }

    private async Task<(int Count, List<string> Sql)> SnapshotCommandsAsync(int campaignId)
    {
        var recorder = new CommandRecorder();
        await ReadSnapshotAsync(campaignId, recorder);
        return (recorder.Executed.Count, [.. recorder.Executed.Select(c => c.Sql)]);
    }

    private async Task ReadSnapshotAsync(int campaignId, CommandRecorder recorder)
    {
        var connection = app.Get<DatabaseSettings>().ConnectionString;
        var factory = new RecordingFactory(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(connection).AddInterceptors(recorder).Options);
        var snapshot = await new SnapshotReader(factory, TimeProvider.System).ReadAsync(campaignId);
        Assert.NotNull(snapshot);
    }

    private sealed class RecordingFactory(DbContextOptions<SqlitePortalDbContext> options) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => new SqlitePortalDbContext(options);
    }

    private sealed class CommandRecorder : DbCommandInterceptor
    {
        public List<(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters)> Executed { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Executed.Add((command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value))]));
            return ValueTask.FromResult(result);
        }
    }
}
