using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Portal.Data;

/// <summary>
/// Moves SQLite's write-ahead log into the database file in the background. By default the connection whose commit
/// takes the log past 1,000 pages does all of that work inside its commit (copy, fsync of the database file), and the
/// merchant or voter behind it waits, sometimes hundreds of milliseconds. Here a background pass every second
/// (Database:CheckpointSeconds) copies the log without blocking anyone (PASSIVE), so commits only append to it. The
/// log can only start again from its beginning once all of it is copied at an instant with no writer, which a
/// background pass never sees under steady writes; so a commit still checkpoints itself past
/// <see cref="InlineThresholdPages"/> (32 MB of log), by then with almost nothing left to copy, and the log stays
/// bounded. Durability is unchanged: a commit is durable once in the log.
/// </summary>
public sealed class SqliteCheckpointer(DatabaseSettings settings, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    public const int InlineThresholdPages = 8192;

    /// <summary>
    /// One checkpoint pass; returns the pages the log held and how many of them were copied into the database file.
    /// </summary>
    public async Task<(int LogPages, int CheckpointedPages)> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(1), reader.GetInt32(2));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.CheckpointPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await CheckpointAsync(stoppingToken);
                }
                catch (SqliteException e)
                {
                    // The log keeps every commit; the next pass catches up.
                    logger.LogWarning(e, "SQLite checkpoint failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Raises the automatic checkpoint threshold on every database connection EF Core uses. The setting belongs to
    /// SQLite's connection, which the pool keeps open between operations: it is set the first time each one is
    /// opened, not on every open (one statement fewer for every read and every commit).
    /// </summary>
    public sealed class Interceptor : DbConnectionInterceptor
    {
        private static readonly string Pragma = $"PRAGMA wal_autocheckpoint={InlineThresholdPages};";
        private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = [];

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            if (!FirstOpen(connection)) return;
            using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (!FirstOpen(connection)) return;
            await using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        private bool FirstOpen(DbConnection connection) =>
            connection is not SqliteConnection { Handle: { } handle } || _configured.TryAdd(handle, this);
    }
}
