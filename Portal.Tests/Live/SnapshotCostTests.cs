using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Data;
using Portal.Tests.Support;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Live;

namespace Portal.Tests.Live;

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

    private async Task<(int Count, List<string> Sql)> SnapshotCommandsAsync(int campaignId)
    {
        var recorder = new CommandRecorder();
        var connection = app.Get<DatabaseSettings>().ConnectionString;
        var factory = new RecordingFactory(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(connection).AddInterceptors(recorder).Options);
        var snapshot = await new SnapshotReader(factory, TimeProvider.System).ReadAsync(campaignId);
        Assert.NotNull(snapshot);
        return (recorder.Commands.Count, recorder.Commands);
    }

    private sealed class RecordingFactory(DbContextOptions<SqlitePortalDbContext> options) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => new SqlitePortalDbContext(options);
    }

    private sealed class CommandRecorder : DbCommandInterceptor
    {
        public List<string> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }
}
