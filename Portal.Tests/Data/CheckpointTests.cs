using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Tests.Support;
using Portal.Web.Features.Donations;

namespace Portal.Tests.Data;

/// <summary>SQLite's write-ahead log is moved into the file off the commit path, and does not grow without end.</summary>
[Trait("Engine", "Sqlite")] // SQLite itself is under test here; the PostgreSQL pass skips it
public sealed class CheckpointTests : IAsyncLifetime
{
    // No background pass during the test: it would restart the log at a moment of its own choosing.
    private readonly CustomPortalFactory app = new(settings: new Dictionary<string, string> { ["Database:CheckpointSeconds"] = "86400" });

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => app.DisposeAsync().AsTask();

    [Fact]
    public async Task Connections_opened_by_the_portal_leave_checkpoints_to_the_background_until_the_log_is_large()
    {
        // The setting is made once per pooled connection: every later open, on any of them, must still have it.
        var factory = app.Get<IDbContextFactory<PortalDbContext>>();
        for (var round = 0; round < 3; round++)
        {
            var contexts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => factory.CreateDbContextAsync()));
            foreach (var db in contexts)
            {
                await db.Database.OpenConnectionAsync();
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA wal_autocheckpoint;";
                Assert.Equal((long)SqliteCheckpointer.InlineThresholdPages, await command.ExecuteScalarAsync());
            }
            foreach (var db in contexts) await db.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_background_pass_copies_the_whole_log_into_the_database_file()
    {
        var w = await TestWorld.CreateAsync(app);
        var ledger = app.Get<DonationLedger>();
        for (var i = 0; i < 100; i++)
            await ledger.LogAsync(w.MerchantA, new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 1, Solidons = 1 });

        var (logPages, copied) = await app.Get<SqliteCheckpointer>().CheckpointAsync();

        Assert.True(logPages > 100, $"100 commits left only {logPages} pages in the log");
        Assert.Equal(logPages, copied);
    }
}
