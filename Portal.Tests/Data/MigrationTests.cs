using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Portal.Data;

namespace Portal.Tests.Data;

[Trait("Engine", "Sqlite")] // SQLite itself is under test here; the PostgreSQL pass skips it
public class MigrationTests
{
    private static SqlitePortalDbContext Sqlite(string file) =>
        new(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={file}").Options);

    // No server is contacted: the model, the migrations and the script generator need none.
    private static SqlServerPortalDbContext SqlServer() =>
        new(new DbContextOptionsBuilder<SqlServerPortalDbContext>().UseSqlServer("Server=127.0.0.1;Database=Portal;TrustServerCertificate=True").Options);

    [Fact]
    public void Sqlite_migrations_match_the_model()
    {
        using var db = Sqlite(Path.GetTempFileName());
        Assert.False(db.Database.HasPendingModelChanges(), "Run ./migrations.sh <Name>: the SQLite migrations lag behind the model.");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void SqlServer_migrations_match_the_model()
    {
        using var db = SqlServer();
        Assert.False(db.Database.HasPendingModelChanges(), "Run ./migrations.sh <Name>: the SQL Server migrations lag behind the model.");
        Assert.Equal(Sqlite(Path.GetTempFileName()).Database.GetMigrations().Select(Name), db.Database.GetMigrations().Select(Name));
    }

    [Fact]
    public void SqlServer_creation_script_generates_with_every_table()
    {
        using var db = SqlServer();
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        foreach (var table in new[] { "Campaigns", "CampaignCandidates", "DonationEntries", "Votes", "Loans", "HoursEntries", "AspNetUsers" })
            Assert.Contains($"CREATE TABLE [{table}]", script);
        Assert.Contains("CREATE UNIQUE INDEX [IX_Votes_CampaignId_ContributorId]", script);
    }

    [Fact]
    public async Task Sqlite_database_is_created_migrated_and_in_wal_mode_on_first_run()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory().FullName, "portal.db");
        var factory = new TestFactory(() => Sqlite(file));
        await DatabaseMigrator.MigrateAsync(factory);

        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        await using var db = Sqlite(file);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    private static string Name(string migrationId) => migrationId[15..];

    private sealed class TestFactory(Func<PortalDbContext> create) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => create();
    }
}
