using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Portal.Data;

public static class DatabaseMigrator
{
    /// <summary>Creates the database if needed and applies pending migrations; SQLite is switched to WAL.</summary>
    public static async Task MigrateAsync(IDbContextFactory<PortalDbContext> factory, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        try
        {
            if (db.Database.IsSqlite())
                // WAL lets dashboards read while merchants write; the mode is stored in the file, so once is enough.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (Exception e) when (e is SqliteException or Microsoft.Data.SqlClient.SqlException or Npgsql.NpgsqlException)
        {
            throw new PortalConfigurationException($"ConnectionStrings:Portal: the database cannot be opened or migrated ({e.GetBaseException().Message}).");
        }
    }
}
