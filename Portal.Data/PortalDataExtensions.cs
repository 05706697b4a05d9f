using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Portal.Data;

/// <summary>A setting is missing or wrong: start-up stops with this one line, naming the setting.</summary>
public sealed class PortalConfigurationException(string message) : Exception(message);

public enum DatabaseProvider { Sqlite, SqlServer, Postgres }

public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>How often SQLite's write-ahead log is moved into the database file (Database:CheckpointSeconds).</summary>
    public TimeSpan CheckpointPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Reads Database:Provider (Sqlite by default) and ConnectionStrings:Portal. With SQLite and no connection
    /// string the database is a file in Database:DataFolder (App_Data under the content root by default).
    /// </summary>
    public static DatabaseSettings From(IConfiguration configuration, string contentRoot)
    {
        var providerText = configuration["Database:Provider"] ?? nameof(DatabaseProvider.Sqlite);
        if (!Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var provider))
            throw new PortalConfigurationException(
                $"Database:Provider is '{providerText}': use 'Sqlite' (the embedded default), 'SqlServer' or 'Postgres'.");

        var connectionString = configuration.GetConnectionString("Portal");
        var checkpointText = configuration["Database:CheckpointSeconds"] ?? "1";
        if (!double.TryParse(checkpointText, System.Globalization.CultureInfo.InvariantCulture, out var checkpointSeconds) || checkpointSeconds is < 0.05 or > 86_400)
            throw new PortalConfigurationException($"Database:CheckpointSeconds is '{checkpointText}': give a number of seconds between 0.05 and 86400.");
        return provider switch
        {
            DatabaseProvider.Sqlite => new(provider, SqliteConnection(connectionString, configuration, contentRoot)) { CheckpointPeriod = TimeSpan.FromSeconds(checkpointSeconds) },
            DatabaseProvider.Postgres => new(provider, PostgresConnection(connectionString)),
            _ => new(provider, SqlServerConnection(connectionString)),
        };
    }

    private static string SqliteConnection(string? connectionString, IConfiguration configuration, string contentRoot)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = string.IsNullOrWhiteSpace(connectionString)
                ? new() { DataSource = Path.Combine(Path.GetFullPath(configuration["Database:DataFolder"] ?? "App_Data", contentRoot), "portal.db") }
                : new(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new PortalConfigurationException($"ConnectionStrings:Portal is not a valid SQLite connection string: {e.Message}");
        }
        if (string.IsNullOrWhiteSpace(builder.DataSource))
            throw new PortalConfigurationException("ConnectionStrings:Portal has no 'Data Source' for the SQLite file.");
        if (builder.DataSource != ":memory:") EnsureWritableFolder(builder.DataSource);
        builder.Pooling = true;
        // Writers wait for each other rather than failing at once.
        builder.DefaultTimeout = 30;
        return builder.ToString();
    }

    private static void EnsureWritableFolder(string dataSource)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource))!;
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".write-probe-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PortalConfigurationException($"Database:DataFolder '{folder}' is not writable: {e.Message}");
        }
    }

    private static string PostgresConnection(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new PortalConfigurationException("ConnectionStrings:Portal is required when Database:Provider is 'Postgres'.");
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.Host))
                throw new PortalConfigurationException("ConnectionStrings:Portal has no 'Host' for PostgreSQL.");
            return builder.ConnectionString;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new PortalConfigurationException($"ConnectionStrings:Portal is not a valid PostgreSQL connection string: {e.Message}");
        }
    }

    private static string SqlServerConnection(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new PortalConfigurationException("ConnectionStrings:Portal is required when Database:Provider is 'SqlServer'.");
        try
        {
            var builder = new SqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.DataSource))
                throw new PortalConfigurationException("ConnectionStrings:Portal has no 'Server' for SQL Server.");
            return builder.ConnectionString;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new PortalConfigurationException($"ConnectionStrings:Portal is not a valid SQL Server connection string: {e.Message}");
        }
    }
}

public static class PortalDataExtensions
{
    /// <summary>
    /// Registers <see cref="IDbContextFactory{PortalDbContext}"/>: one context per operation, never one held by a
    /// Blazor circuit. Contexts are pooled, since every page render and every write creates one and building a
    /// context's services costs more than the queries of a public page. The scoped <see cref="PortalDbContext"/>
    /// exists only for ASP.NET Core Identity's stores.
    /// </summary>
    public static DatabaseSettings AddPortalData(this IHostApplicationBuilder builder)
    {
        var settings = DatabaseSettings.From(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<DomainEventsInterceptor>();
        builder.Services.AddSingleton<WriteGate>();

        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            builder.Services.AddSingleton<SqliteCheckpointer.Interceptor>();
            builder.Services.AddPooledDbContextFactory<SqlitePortalDbContext>((sp, o) =>
                o.UseSqlite(settings.ConnectionString)
                 .AddInterceptors(sp.GetRequiredService<DomainEventsInterceptor>(), sp.GetRequiredService<SqliteCheckpointer.Interceptor>()));
            // Commits only append to the write-ahead log; the log is moved into the file in the background.
            builder.Services.AddSingleton<SqliteCheckpointer>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SqliteCheckpointer>());
            builder.Services.AddSingleton<IDbContextFactory<PortalDbContext>, ProviderContextFactory<SqlitePortalDbContext>>();
        }
        else if (settings.Provider == DatabaseProvider.Postgres)
        {
            builder.Services.AddPooledDbContextFactory<PostgresPortalDbContext>((sp, o) =>
                o.UseNpgsql(settings.ConnectionString, s => s.EnableRetryOnFailure())
                 .AddInterceptors(sp.GetRequiredService<DomainEventsInterceptor>()));
            builder.Services.AddSingleton<IDbContextFactory<PortalDbContext>, ProviderContextFactory<PostgresPortalDbContext>>();
        }
        else
        {
            builder.Services.AddPooledDbContextFactory<SqlServerPortalDbContext>((sp, o) =>
                o.UseSqlServer(settings.ConnectionString, s => s.EnableRetryOnFailure())
                 .AddInterceptors(sp.GetRequiredService<DomainEventsInterceptor>()));
            builder.Services.AddSingleton<IDbContextFactory<PortalDbContext>, ProviderContextFactory<SqlServerPortalDbContext>>();
        }
        builder.Services.AddScoped<PortalDbContext>(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());
        return settings;
    }

    private sealed class ProviderContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<PortalDbContext>
        where TContext : PortalDbContext
    {
        public PortalDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
