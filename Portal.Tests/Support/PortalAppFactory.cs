using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;

namespace Portal.Tests.Support;

/// <summary>
/// The real portal on real Kestrel (127.0.0.1, a free port) over its own SQLite file in a temporary folder.
/// "Development" brings the demonstration data; "Testing" starts from an empty, migrated database.
/// </summary>
public abstract class PortalAppFactory(string environment, string? dataFolder = null, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>Two nodes of a scale-out test share one folder, so one database.</summary>
    public string DataFolder { get; } = dataFolder ?? Directory.CreateTempSubdirectory("solidons-tests-").FullName;

    public string MailFolder => Path.Combine(DataFolder, "mail");

    public Uri BaseAddress { get; private set; } = default!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        // Outside Development the build's static web assets (MudBlazor's, Blazor's script) are only found when asked for.
        builder.UseStaticWebAssets();
        builder.UseSetting("Database:DataFolder", DataFolder);
        builder.UseSetting("Email:PickupFolder", MailFolder);
        builder.UseSetting("Live:SnapshotsPerSecond", "10");
        // Tests fire bursts on purpose; the limiter has its own test with a tight setting.
        builder.UseSetting("Api:RequestsPerSecond", "10000");
        // Every test signs in from 127.0.0.1; the throttle has its own test with the default budgets.
        builder.UseSetting("Account:SignInsPerMinutePerAddress", "100000");
        // PORTAL_ENGINE=Postgres runs the same tests on PostgreSQL: a database per data folder, so a restarted portal
        // or a second node over the same folder finds the same database, as they would find the same SQLite file.
        if (Environment.GetEnvironmentVariable("PORTAL_ENGINE") is { } engine && engine.Equals("Postgres", StringComparison.OrdinalIgnoreCase)
            && settings?.ContainsKey("Database:Provider") != true)
        {
            builder.UseSetting("Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:Portal", PostgresServer.Instance.DatabaseFor(DataFolder));
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            builder.UseSetting(key, value);
    }

    public Task InitializeAsync()
    {
        UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        return Task.CompletedTask;
    }

    public IReadOnlySet<string> MailFiles() => Directory.Exists(MailFolder) ? Directory.GetFiles(MailFolder).ToHashSet() : [];

    /// <summary>
    /// The e-mails the outbox worker writes after <paramref name="before"/> (those whose text contains
    /// <paramref name="containing"/>, when given): it delivers in the background, at once when a message is queued,
    /// so the test waits for the files (at most ten seconds) rather than reading at once.
    /// </summary>
    public async Task<IReadOnlyList<string>> NewMailAsync(IReadOnlySet<string> before, string? containing = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var added = MailFiles().Where(f => !before.Contains(f)).Order()
                .Where(f => containing is null || Unfolded(f).Contains(containing, StringComparison.Ordinal)).ToList();
            if (added.Count > 0 || DateTime.UtcNow > deadline) return added;
            await Task.Delay(25);
        }
    }

    // Quoted-printable folds long lines with a trailing "=": join them before looking for a word.
    private static string Unfolded(string path) => File.ReadAllText(path).Replace("=\r\n", "").Replace("=\n", "");

    public PortalDbContext CreateDbContext() => Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public HttpClient CreateHttpClient(bool followRedirects = true) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true }) { BaseAddress = BaseAddress };

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { /* SQLite may still hold the file on a slow shutdown */ }
    }
}

/// <summary>One portal with demonstration data shared by the HTTP and browser tests.</summary>
[CollectionDefinition(Name)]
public sealed class DemoPortalCollection : ICollectionFixture<DemoPortalFactory>
{
    public const string Name = "Demo portal";
}

/// <summary>The portal as `dotnet run` shows it: demonstration data included.</summary>
public sealed class DemoPortalFactory() : PortalAppFactory("Development");

/// <summary>One web node of a scale-out pair: its own Kestrel, the shared database folder and Redis.</summary>
public sealed class PortalNode(string dataFolder, string redis) : PortalAppFactory("Testing", dataFolder, new Dictionary<string, string> { ["Live:Redis"] = redis });

/// <summary>An empty portal, for tests that build their own campaigns.</summary>
public sealed class EmptyPortalFactory() : PortalAppFactory("Testing");

/// <summary>An empty portal over a given folder with given settings: restarts, tight rate limits.</summary>
public sealed class CustomPortalFactory(string? dataFolder = null, IReadOnlyDictionary<string, string>? settings = null)
    : PortalAppFactory("Testing", dataFolder, settings);

/// <summary>The real portal on a database of its own on the shared PostgreSQL server.</summary>
public sealed class PostgresPortalFactory() : PortalAppFactory("Testing", settings: new Dictionary<string, string>
{
    ["Database:Provider"] = "Postgres",
    ["ConnectionStrings:Portal"] = PostgresServer.Instance.NewDatabase(),
});
