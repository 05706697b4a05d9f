using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Networks;
using Portal.Domain.Projects;
using Portal.Web.Features;
using Portal.Web.Features.Campaigns;
using Portal.Web.Hosting;

namespace Portal.Bench;

/// <summary>
/// The real portal (same services, same pipeline) on Kestrel at 127.0.0.1, over a fresh SQLite file or a fresh database
/// on a throw-away PostgreSQL cluster (the tests' <see cref="Portal.Tests.Support.PostgresServer"/>) or on a database given
/// (the bench cluster's), plus a bare SignalR broadcast as the baseline the live path is compared with.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private BenchHost(WebApplication app, string folder, BenchEngine engine)
    {
        App = app;
        Folder = folder;
        Engine = engine;
    }

    public BenchEngine Engine { get; }
    public WebApplication App { get; }
    public string Folder { get; }
    public Uri BaseAddress { get; private set; } = default!;
    public IServiceProvider Services => App.Services;
    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();
    public PortalDbContext Db() => Get<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    public static async Task<BenchHost> StartAsync(int snapshotsPerSecond = 4, BenchEngine engine = BenchEngine.Sqlite, string? connectionString = null)
    {
        var folder = Directory.CreateTempSubdirectory("solidons-bench-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
            // The same static-assets manifest whether the bench runs alone or inside the test host.
            ApplicationName = typeof(BenchHost).Assembly.GetName().Name,
        });
        builder.Configuration["Database:DataFolder"] = folder;
        builder.Configuration["Email:PickupFolder"] = Path.Combine(folder, "mail");
        builder.Configuration["Live:SnapshotsPerSecond"] = snapshotsPerSecond.ToString();
        builder.Configuration["Api:RequestsPerSecond"] = "1000000";
        if (engine == BenchEngine.Postgres)
        {
            builder.Configuration["Database:Provider"] = "Postgres";
            // As many connections as the most concurrent page loads measured.
            builder.Configuration["ConnectionStrings:Portal"] = new Npgsql.NpgsqlConnectionStringBuilder(connectionString ?? Portal.Tests.Support.PostgresServer.Instance.NewDatabase())
                { MaxPoolSize = 100 }.ConnectionString;
        }
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // Outside Development the build output's static web assets (Blazor's script, MudBlazor's files) must be asked for.
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxConcurrentConnections = null);
        builder.AddPortalWeb();
        var app = builder.Build();
        await app.PreparePortalAsync();
        app.UsePortal();
        // The HTTP ceiling of this machine: a POST through the same middleware, key authentication and rate limiter as
        // the till API, answered without touching the database.
        app.MapPost("/bench/bare", (System.Text.Json.JsonElement _) => Results.Text("[]", "application/json", statusCode: 201))
            .RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(Portal.Web.Features.Api.ApiKeyAuthenticationHandler.SchemeName)
                .RequireClaim(Portal.Web.Features.Api.ApiKeyAuthenticationHandler.EstablishmentClaim).Build())
            .RequireRateLimiting(Portal.Web.Features.Api.TillApi.RateLimitPolicy);
        await app.StartAsync();
        var host = new BenchHost(app, folder, engine);
        host.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return host;
    }

    /// <summary>
    /// An open campaign with live votes in a network of <paramref name="places"/> establishments (at least two) for
    /// <paramref name="projects"/> projects (at least two), a merchant actor of every place, and <paramref name="voters"/> contributors.
    /// </summary>
    public async Task<BenchWorld> SeedAsync(int voters, int places = 2, int projects = 2)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = Db();
        var network = new Network($"Réseau {Guid.NewGuid():N}", Sector.Food, "Lyon");
        db.Networks.Add(network);
        await db.SaveChangesAsync();
        var establishments = Enumerable.Range(0, Math.Max(places, 2))
            .Select(i => new Establishment(network.Id, $"Bench {(char)('A' + i)} {network.Id}", "Lyon")).ToList();
        var candidates = Enumerable.Range(1, Math.Max(projects, 2))
            .Select(i => new Project($"Bench {i} {network.Id}", "x", "x", "x", Sector.Food, Money.FromEuros(1_000_000))).ToList();
        db.AddRange(establishments);
        db.AddRange(candidates);
        var users = Enumerable.Range(0, voters).Select(i => new PortalUser
        {
            UserName = $"bench{network.Id}-{i}@bench.local", NormalizedUserName = $"BENCH{network.Id}-{i}@BENCH.LOCAL",
            Email = $"bench{network.Id}-{i}@bench.local", NormalizedEmail = $"BENCH{network.Id}-{i}@BENCH.LOCAL", DisplayName = $"Bench {i}",
            SecurityStamp = Guid.NewGuid().ToString(), EmailPreference = Portal.Domain.Community.EmailPreference.None,
        }).ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();

        var admin = new Actor("bench-admin", new HashSet<string> { Roles.Admin }, [], null, null);
        var lifecycle = Get<CampaignLifecycle>();
        var campaignId = await lifecycle.CreateAsync(admin, Campaign.Draft($"Bench {network.Id}", network.Id, Sector.Food, now.AddDays(-1), now.AddDays(30),
            Money.FromEuros(1_000_000), [.. candidates.Select(p => (p.Id, p.Requested))], AllocationRule.ProportionalToVotes, entryCeiling: Money.FromEuros(2_000)));
        await lifecycle.OpenAsync(admin, campaignId, 0);
        var merchant = new Actor("bench-merchant", new HashSet<string> { Roles.Merchant }, [.. establishments.Select(e => e.Id)], null, null);
        return new BenchWorld(campaignId, [.. establishments.Select(e => e.Id)], [.. candidates.Select(p => p.Id)], merchant,
            [.. users.Select(u => new Actor(u.Id, new HashSet<string> { Roles.Contributor }, [], null, null))]);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

public sealed record BenchWorld(int CampaignId, IReadOnlyList<int> Places, IReadOnlyList<int> Projects, Actor Merchant, IReadOnlyList<Actor> Voters)
{
    public int EstablishmentA => Places[0];
    public int EstablishmentB => Places[1];
    public int ProjectA => Projects[0];
    public int ProjectB => Projects[1];
}

public enum BenchEngine { Sqlite, Postgres }
