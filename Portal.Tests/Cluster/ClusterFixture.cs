using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Tests.Support;

namespace Portal.Tests.Cluster;

/// <summary>
/// The real cluster of deploy/cluster.sh, once for the run: PostgreSQL, redis-server, two Portal.Web nodes (Release,
/// Production) and nginx in front, on loopback. Campaigns are set up through the services of a third, in-process
/// portal on the cluster's database (<see cref="Seeder"/>); everything measured goes through the cluster's own processes.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("solidons-cluster-").FullName;
    private Dictionary<string, string> _settings = [];

    public Uri Url => new(_settings["URL"] + "/");
    public Uri NodeA => new($"http://127.0.0.1:{_settings["NODE_A_PORT"]}/");
    public Uri NodeB => new($"http://127.0.0.1:{_settings["NODE_B_PORT"]}/");
    public string Database => $"Host=127.0.0.1;Port={_settings["PG_PORT"]};Database=solidons;Username=portal;Maximum Pool Size=20";
    public CustomPortalFactory Seeder { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await RunAsync("up");
        _settings = File.ReadAllLines(Path.Combine(_folder, "cluster.env")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Seeder = new CustomPortalFactory(settings: new Dictionary<string, string> { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Portal"] = Database });
        await ((IAsyncLifetime)Seeder).InitializeAsync();
    }

    /// <summary>Runs <c>deploy/cluster.sh</c> with this cluster's folder: up, down, kill-node a, stop-redis...</summary>
    public async Task RunAsync(params string[] arguments)
    {
        var script = Path.Combine(RepositoryRoot(), "deploy", "cluster.sh");
        var start = new ProcessStartInfo(script, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["CLUSTER_DIR"] = _folder;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"deploy/cluster.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}{await output}");
    }

    /// <summary>A client of the public address, through nginx (its certificate is self-signed).</summary>
    public HttpClient ThroughNginx(CookieContainer? cookies = null) =>
        new(new HttpClientHandler
        {
            CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        }) { BaseAddress = Url };

    /// <summary>A client of one node itself, as nginx reaches it: the request says it came over HTTPS.</summary>
    public HttpClient Direct(Uri node)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = node };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return client;
    }

    /// <summary>A till's client with its key, on the public address or one node.</summary>
    public HttpClient Till(string secret, Uri? node = null)
    {
        var client = node is null ? ThroughNginx() : Direct(node);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        client.Timeout = TimeSpan.FromSeconds(10);
        return client;
    }

    /// <summary>A till's single entry of <paramref name="amount"/> for one solidon, with its Idempotency-Key.</summary>
    public static Task<HttpResponseMessage> PostDonationAsync(HttpClient client, int campaignId, string key, decimal amount = 2.5m)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/campaigns/{campaignId}/donations")
        {
            Content = new StringContent($"{{\"amount\":{amount.ToString(System.Globalization.CultureInfo.InvariantCulture)},\"solidons\":1}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    public async Task<string> SlugAsync(int campaignId)
    {
        await using var db = Seeder.CreateDbContext();
        return await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.Slug).SingleAsync();
    }

    /// <summary>A hub client of one node itself, or of the public address through nginx (as a display screen would be).</summary>
    public static Task<HubProbe> JoinAsync(Uri address, int campaignId, bool throughNginx = false) =>
        HubProbe.JoinAsync(address, campaignId, o =>
        {
            if (!throughNginx)
            {
                o.Headers["X-Forwarded-Proto"] = "https";
                return;
            }
            // nginx's certificate is self-signed; and a display screen sends no cookie.
            o.HttpMessageHandlerFactory = _ => new HttpClientHandler
            {
                UseCookies = false, ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
            };
            o.WebSocketConfiguration = ws => ws.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        });


    public async Task DisposeAsync()
    {
        if (Seeder is not null) await ((IAsyncLifetime)Seeder).DisposeAsync();
        await RunAsync("down");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) return dir.FullName;
        throw new InvalidOperationException("Portal.sln not found above the test binaries.");
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Cluster";
}
