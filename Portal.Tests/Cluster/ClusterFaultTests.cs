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
/// Faults on the cluster of deploy/cluster.sh: a node killed, PostgreSQL restarted, Redis away, each under load,
/// bounded in time, putting the cluster back as it found it, and printing what it measured.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Engine", "Cluster")]
public sealed class ClusterFaultTests(ClusterFixture cluster, BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_a_node_under_load_loses_and_doubles_no_acknowledged_write_and_a_page_comes_back_on_the_other()
    {
        var w = await TestWorld.CreateAsync(cluster.Seeder);
        var (key, secret) = await cluster.Seeder.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse 1");
        var before = (A: await CircuitsOpenAsync(cluster.NodeA), B: await CircuitsOpenAsync(cluster.NodeB));
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = cluster.Url.ToString(), IgnoreHTTPSErrors = true, Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"campagnes/{await cluster.SlugAsync(w.CampaignId)}");
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
        await using var hubOnA = await ClusterFixture.JoinAsync(cluster.NodeA, w.CampaignId);
        await using var hubOnB = await ClusterFixture.JoinAsync(cluster.NodeB, w.CampaignId);
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
                using (var response = await ClusterFixture.PostDonationAsync(till, w.CampaignId, Guid.NewGuid().ToString("N")))
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
        output.WriteLine($"Redis away 10 s: {lags.Count} writes acknowledged, own node's hub client behind by p50 {Portal.Bench.Stats.Percentile([.. lags], 50):F0} ms, max {lags.Max():F0} ms; " +
            $"snapshots received during the outage: node a {hubOnA.Received - receivedA}, node b {hubOnB.Received - receivedB}; both on the database totals {converged.TotalMilliseconds:F0} ms after its return");
        Assert.Equal(campaign.CollectedCents, hubOnA.Latest!.CollectedCents);
        Assert.Equal(campaign.CollectedCents, hubOnB.Latest!.CollectedCents);
        Assert.True(lags.Max() < 1_500, $"a node's own hub client fell {lags.Max():F0} ms behind its writes during the outage");
    }


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
                        using var response = await ClusterFixture.PostDonationAsync(client, campaignId, key);
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


    private sealed record TillLoad(IReadOnlyList<string> Acknowledged, int Failures, TimeSpan Longest);
}
