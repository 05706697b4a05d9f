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
/// The cluster of deploy/cluster.sh, tested from outside: nginx in front of two nodes on PostgreSQL and Redis. What a
/// visitor, a till and a display screen see across the nodes; the faults are in <see cref="ClusterFaultTests"/>.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Engine", "Cluster")]
public sealed class ClusterTests(ClusterFixture cluster, BrowserFixture browser)
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
            using (var response = await ClusterFixture.PostDonationAsync(till, w.CampaignId, Guid.NewGuid().ToString("N")))
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
                using var response = await ClusterFixture.PostDonationAsync(client, w.CampaignId, key);
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
        await using var hubOnB = await ClusterFixture.JoinAsync(cluster.NodeB, w.CampaignId);
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = cluster.Url.ToString(), IgnoreHTTPSErrors = true, Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"campagnes/{await cluster.SlugAsync(w.CampaignId)}");
        await page.Locator(".sol-dashboard[data-interactive=true]").WaitForAsync();

        using var till = cluster.Till(secret, cluster.NodeA);
        using (var response = await ClusterFixture.PostDonationAsync(till, w.CampaignId, Guid.NewGuid().ToString("N"), amount: 12.5m))
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
            for (var i = 0; i < 12; i++) screens.Add(await ClusterFixture.JoinAsync(cluster.Url, w.CampaignId, throughNginx: true));
            using var till = cluster.Till(secret, cluster.NodeA);
            using (var response = await ClusterFixture.PostDonationAsync(till, w.CampaignId, Guid.NewGuid().ToString("N"), amount: 7.5m))
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            await Task.WhenAll(screens.Select(s => s.WaitForAsync(x => x.CollectedCents == 750, TimeSpan.FromSeconds(10))));
        }
        finally
        {
            foreach (var screen in screens) await screen.DisposeAsync();
        }
    }
}
