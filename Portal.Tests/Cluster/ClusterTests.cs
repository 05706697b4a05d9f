using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Portal.Data.Identity;
using Portal.Tests.Support;
using Portal.Web.Components.Shared;
using Portal.Web.Features.Api;
using Portal.Web.Features.Campaigns;
using Xunit.Abstractions;

namespace Portal.Tests.Cluster;

/// <summary>
/// The cluster of deploy/cluster.sh, tested from outside: nginx in front of two nodes on PostgreSQL and Redis. Each
/// fault test is bounded in time, puts the cluster back as it found it, and prints what it measured.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Engine", "Cluster")]
public sealed class ClusterTests(ClusterFixture cluster, BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task A_sign_in_through_nginx_holds_on_both_nodes_and_after_each_node_restarts()
    {
        var email = await SignInForm.AccountAsync(cluster.Seeder, Roles.Contributor);
        var cookies = new CookieContainer();
        using (var client = cluster.ThroughNginx(cookies))
        {
            using var signIn = await SignInForm.PostAsync(client, client, email);
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.DoesNotContain("/Account/Login", signIn.Headers.Location!.OriginalString);
        }
        // The cookie nginx's visitor holds, sent to each node itself: both read it with the key ring in the database.
        var cookieHeader = cookies.GetCookieHeader(cluster.Url);
        await AssertSignedInOnBothNodesAsync(cookieHeader);

        foreach (var node in new[] { "a", "b" })
        {
            await cluster.RunAsync("stop-node", node);
            await cluster.RunAsync("start-node", node);
        }
        await AssertSignedInOnBothNodesAsync(cookieHeader);
    }

    private async Task AssertSignedInOnBothNodesAsync(string cookieHeader)
    {
        foreach (var node in new[] { cluster.NodeA, cluster.NodeB })
        {
            using var client = cluster.Direct(node);
            using var request = new HttpRequestMessage(HttpMethod.Get, "moi");
            request.Headers.Add("Cookie", cookieHeader);
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{node}: {response.StatusCode} {response.Headers.Location}");
        }
    }

    [Fact]
    public async Task Both_nodes_are_ready_and_count_their_writes_in_metrics_only_the_machine_reads()
    {
        var w = await TestWorld.CreateAsync(cluster.Seeder);
        var (_, secret) = await cluster.Seeder.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse 1");
        foreach (var node in new[] { cluster.NodeA, cluster.NodeB })
        {
            using var till = cluster.Till(secret, node);
            using (var response = await PostDonationAsync(till, w.CampaignId, Guid.NewGuid().ToString("N")))
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            using var client = cluster.Direct(node);
            var ready = await client.GetStringAsync("health/ready");
            Assert.Contains("\"status\":\"Healthy\"", ready);
            Assert.Contains("\"redis\":\"Healthy\"", ready);
            var metrics = await client.GetStringAsync("metrics");
            Assert.Matches("solidons_writes_committed_total\\{[^}]*kind=\"DonationLogged\"[^}]*\\} [1-9]", metrics);
            Assert.Contains("solidons_group_commit_batch_size", metrics);
            Assert.Contains("http_server_request_duration", metrics);
        }
        using var outside = cluster.ThroughNginx();
        Assert.Equal(HttpStatusCode.NotFound, (await outside.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await outside.GetAsync("health/ready")).StatusCode);
    }

    [Fact]
    public async Task The_same_idempotency_key_sent_to_both_nodes_at_once_gives_one_entry_and_one_replay()
    {
        var w = await TestWorld.CreateAsync(cluster.Seeder);
        var (_, secret) = await cluster.Seeder.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse 1");
        using var onA = cluster.Till(secret, cluster.NodeA);
        using var onB = cluster.Till(secret, cluster.NodeB);
        for (var round = 0; round < 20; round++)
        {
            var key = $"bill-{round}-{Guid.NewGuid():N}";
            var answers = await Task.WhenAll(new[] { onA, onB }.Select(async client =>
            {
                using var response = await PostDonationAsync(client, w.CampaignId, key);
                return (response.StatusCode, Replayed: response.Headers.Contains("Idempotent-Replayed"));
            }));
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
            Assert.Equal(1, answers.Count(a => a.Replayed));
        }
        await using var db = cluster.Seeder.CreateDbContext();
        Assert.Equal(20, await db.Donations.CountAsync(d => d.CampaignId == w.CampaignId));
    }

    [Fact]
    public async Task A_till_entry_on_node_A_reaches_a_hub_client_on_node_B_and_a_chromium_page_through_nginx()
    {
        var w = await TestWorld.CreateAsync(cluster.Seeder);
        var (_, secret) = await cluster.Seeder.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse 1");
        await using var hubOnB = await JoinAsync(cluster.NodeB, w.CampaignId);
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = cluster.Url.ToString(), IgnoreHTTPSErrors = true, Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"campagnes/{await SlugAsync(w.CampaignId)}");
        await page.Locator(".sol-dashboard[data-interactive=true]").WaitForAsync();

        using var till = cluster.Till(secret, cluster.NodeA);
        using (var response = await PostDonationAsync(till, w.CampaignId, Guid.NewGuid().ToString("N"), amount: 12.5m))
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        await hubOnB.WaitForAsync(s => s.CollectedCents == 1250, TimeSpan.FromSeconds(10));
        await Assertions.Expect(page.GetByTestId("collected")).ToHaveTextAsync(Format.Euros(1250), new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task Hub_clients_without_cookies_connect_through_nginx_and_follow_the_campaign()
    {
        var w = await TestWorld.CreateAsync(cluster.Seeder);
        var (_, secret) = await cluster.Seeder.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse 1");
        // Negotiation and WebSocket are two requests: each of these clients fails if nginx sends them to two nodes.
        var screens = new List<HubProbe>();
        try
        {
            for (var i = 0; i < 12; i++) screens.Add(await JoinAsync(cluster.Url, w.CampaignId, throughNginx: true));
            using var till = cluster.Till(secret, cluster.NodeA);
            using (var response = await PostDonationAsync(till, w.CampaignId, Guid.NewGuid().ToString("N"), amount: 7.5m))
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            await Task.WhenAll(screens.Select(s => s.WaitForAsync(x => x.CollectedCents == 750, TimeSpan.FromSeconds(10))));
        }
        finally
        {
            foreach (var screen in screens) await screen.DisposeAsync();
        }
    }

    [Fact]
    public async Task Killing_a_node_under_load_loses_and_doubles_no_acknowledged_write_and_a_page_comes_back_on_the_other()
    {
        var w = await TestWorld.CreateAsync(cluster.Seeder);
        var (key, secret) = await cluster.Seeder.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse 1");
        var before = (A: await CircuitsOpenAsync(cluster.NodeA), B: await CircuitsOpenAsync(cluster.NodeB));
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = cluster.Url.ToString(), IgnoreHTTPSErrors = true, Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"campagnes/{await SlugAsync(w.CampaignId)}");
        await page.Locator(".sol-dashboard[data-interactive=true]").WaitForAsync();
        // The node that holds the page's circuit is the one killed: the page must come back on the other.
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the scrape is cached for a moment
        var victim = await CircuitsOpenAsync(cluster.NodeA) > before.A ? "a" : await CircuitsOpenAsync(cluster.NodeB) > before.B ? "b"
            : throw new InvalidOperationException("neither node counts the page's circuit");

        var load = await TillLoadAsync(secret, w.CampaignId, TimeSpan.FromSeconds(10), fault: () => cluster.RunAsync("kill-node", victim));
        try
        {
            await AssertLedgerHoldsAsync(key.Id, w.CampaignId, load, $"node {victim}, which held the page's circuit, killed with SIGKILL");
            // The page whatever node served it shows the database's total, on a circuit of a node that is alive.
            await Assertions.Expect(page.GetByTestId("collected")).ToHaveTextAsync(Format.Euros(load.Acknowledged.Count * 250L), new() { Timeout = 30_000 });
        }
        finally
        {
            await cluster.RunAsync("start-node", victim);
        }
    }

    /// <summary>The node's own count of the Blazor circuits it holds, read from its metrics.</summary>
    private async Task<long> CircuitsOpenAsync(Uri node)
    {
        using var client = cluster.Direct(node);
        var metrics = await client.GetStringAsync("metrics");
        var line = Regex.Match(metrics, @"^solidons_circuits_open(\{[^}]*\})? (\d+)", RegexOptions.Multiline);
        return line.Success ? long.Parse(line.Groups[2].Value) : 0;
    }

    [Fact]
    public async Task Restarting_postgresql_under_load_pauses_writes_and_loses_or_doubles_none()
    {
        var w = await TestWorld.CreateAsync(cluster.Seeder);
        var (key, secret) = await cluster.Seeder.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse 1");
        var load = await TillLoadAsync(secret, w.CampaignId, TimeSpan.FromSeconds(10), fault: () => cluster.RunAsync("restart-postgres"));
        await AssertLedgerHoldsAsync(key.Id, w.CampaignId, load, "PostgreSQL restarted");
    }

    [Fact]
    public async Task With_redis_stopped_each_node_keeps_taking_writes_and_showing_them_live_and_all_converge_once_it_returns()
    {
        var w = await TestWorld.CreateAsync(cluster.Seeder);
        var (_, secret) = await cluster.Seeder.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse 1");
        await using var hubOnA = await JoinAsync(cluster.NodeA, w.CampaignId);
        await using var hubOnB = await JoinAsync(cluster.NodeB, w.CampaignId);
        using var tillA = cluster.Till(secret, cluster.NodeA);
        using var tillB = cluster.Till(secret, cluster.NodeB);

        await cluster.RunAsync("stop-redis");
        var outage = Stopwatch.StartNew();
        var (receivedA, receivedB) = (hubOnA.Received, hubOnB.Received);
        var lags = new ConcurrentBag<double>();
        try
        {
            // Each node takes a write every 200 ms for ten seconds; its own hub client must see each one promptly.
            for (var i = 0; outage.Elapsed < TimeSpan.FromSeconds(10); i++)
            {
                var (till, hub) = i % 2 == 0 ? (tillA, hubOnA) : (tillB, hubOnB);
                var before = hub.Latest!.Entries;
                using (var response = await PostDonationAsync(till, w.CampaignId, Guid.NewGuid().ToString("N")))
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                var acknowledged = Stopwatch.GetTimestamp();
                await hub.WaitForAsync(s => s.Entries > before, TimeSpan.FromSeconds(5));
                lags.Add(Stopwatch.GetElapsedTime(acknowledged).TotalMilliseconds);
                await Task.Delay(200);
            }
        }
        finally
        {
            await cluster.RunAsync("start-redis");
        }
        var back = Stopwatch.StartNew();
        await using var db = cluster.Seeder.CreateDbContext();
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == w.CampaignId);
        await Task.WhenAll(hubOnA.WaitForAsync(s => s.Version >= campaign.Sequence, TimeSpan.FromSeconds(15)),
            hubOnB.WaitForAsync(s => s.Version >= campaign.Sequence, TimeSpan.FromSeconds(15)));
        var converged = back.Elapsed;
        output.WriteLine($"Redis away 10 s: {lags.Count} writes acknowledged, own node's hub client behind by p50 {Stats(lags, 50):F0} ms, max {lags.Max():F0} ms; " +
            $"snapshots received during the outage: node a {hubOnA.Received - receivedA}, node b {hubOnB.Received - receivedB}; both on the database totals {converged.TotalMilliseconds:F0} ms after its return");
        Assert.Equal(campaign.CollectedCents, hubOnA.Latest!.CollectedCents);
        Assert.Equal(campaign.CollectedCents, hubOnB.Latest!.CollectedCents);
        Assert.True(lags.Max() < 1_500, $"a node's own hub client fell {lags.Max():F0} ms behind its writes during the outage");
    }

    private static double Stats(IEnumerable<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(percentile / 100 * sorted.Count) - 1)];
    }

    /// <summary>Sixteen tills post through nginx for <paramref name="length"/>, each retrying a write with its key until acknowledged, as tills do; the fault strikes at a third of the time.</summary>
    private async Task<TillLoad> TillLoadAsync(string secret, int campaignId, TimeSpan length, Func<Task> fault)
    {
        var acknowledged = new ConcurrentBag<string>();
        var failures = 0;
        var longest = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        var tills = Enumerable.Range(0, 16).Select(t => Task.Run(async () =>
        {
            using var client = cluster.Till(secret);
            while (clock.Elapsed < length)
            {
                var key = $"till-{t}-{Guid.NewGuid():N}";
                var started = clock.Elapsed;
                while (true)
                {
                    try
                    {
                        using var response = await PostDonationAsync(client, campaignId, key);
                        if (response.StatusCode == HttpStatusCode.Created) break;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                    Interlocked.Increment(ref failures);
                    if (clock.Elapsed > length + TimeSpan.FromSeconds(60)) throw new TimeoutException($"write {key} never acknowledged");
                    await Task.Delay(100);
                }
                acknowledged.Add(key);
                var took = clock.Elapsed - started;
                lock (acknowledged) if (took > longest) longest = took;
            }
        })).ToList();
        await Task.Delay(length / 3);
        await fault();
        await Task.WhenAll(tills);
        return new TillLoad([.. acknowledged], failures, longest);
    }

    private async Task AssertLedgerHoldsAsync(int apiKeyId, int campaignId, TillLoad load, string fault)
    {
        await using var db = cluster.Seeder.CreateDbContext();
        var recorded = await db.IdempotencyRecords.Where(r => r.ApiKeyId == apiKeyId).Select(r => r.Key).ToListAsync();
        var entries = await db.Donations.CountAsync(d => d.CampaignId == campaignId);
        var lost = load.Acknowledged.Except(recorded).Count();
        var doubled = entries - recorded.Count;
        output.WriteLine($"{fault}: {load.Acknowledged.Count} writes acknowledged, {load.Failures} attempts failed and retried, " +
            $"longest wait for one acknowledgement {load.Longest.TotalMilliseconds:F0} ms; lost {lost}, doubled {doubled}");
        Assert.True(load.Acknowledged.Count > 100, $"only {load.Acknowledged.Count} writes acknowledged");
        Assert.Equal(0, lost);
        Assert.Equal(0, doubled);
        Assert.Equal(load.Acknowledged.Count, entries);
        Assert.Empty(await cluster.Seeder.Get<LedgerReconciliation>().CheckAsync(campaignId));
    }

    private static Task<HttpResponseMessage> PostDonationAsync(HttpClient client, int campaignId, string key, decimal amount = 2.5m)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/campaigns/{campaignId}/donations")
        {
            Content = new StringContent($"{{\"amount\":{amount.ToString(System.Globalization.CultureInfo.InvariantCulture)},\"solidons\":1}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private async Task<string> SlugAsync(int campaignId)
    {
        await using var db = cluster.Seeder.CreateDbContext();
        return await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.Slug).SingleAsync();
    }

    /// <summary>A hub client of one node itself, or of the public address through nginx (as a display screen would be).</summary>
    private static Task<HubProbe> JoinAsync(Uri address, int campaignId, bool throughNginx = false) =>
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

    private sealed record TillLoad(IReadOnlyList<string> Acknowledged, int Failures, TimeSpan Longest);
}
