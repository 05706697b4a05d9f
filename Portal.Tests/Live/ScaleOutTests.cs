using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Tests.Support;
using Portal.Web.Features.Api;
using Portal.Web.Features.Campaigns;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Votes;

namespace Portal.Tests.Live;

/// <summary>
/// Two web nodes (each its own Kestrel) sharing one database and a real redis-server on loopback, as behind a load
/// balancer: what happens on node A must reach hub clients and browser pages served by node B.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScaleOutTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private PortalNode _a = default!;
    private PortalNode _b = default!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        var folder = Directory.CreateTempSubdirectory("solidons-scaleout-").FullName;
        _a = new PortalNode(folder, _redis.ConnectionString);
        await _a.InitializeAsync();
        // Node B starts once A has created and migrated the shared database.
        _b = new PortalNode(folder, _redis.ConnectionString);
        await _b.InitializeAsync();
    }

    [Fact]
    public async Task A_vote_on_node_A_reaches_a_hub_client_and_a_browser_page_served_by_node_B()
    {
        var w = await TestWorld.CreateAsync(_a);
        await using var hubOnB = await HubProbe.JoinAsync(_b.BaseAddress, w.CampaignId);
        await using var context = await browser.NewContextAsync(_b.BaseAddress);
        var page = await context.NewPageAsync();
        await using (var db = _a.CreateDbContext())
            await page.GotoAsync($"/campagnes/{(await db.Campaigns.SingleAsync(c => c.Id == w.CampaignId)).Slug}");
        await page.Locator(".sol-dashboard[data-interactive=true]").WaitForAsync();
        await Assertions.Expect(page.GetByTestId("votes")).ToHaveTextAsync("0");

        await _a.Get<VoteService>().CastAsync(await w.ContributorAsync(_a), new CastVote(w.CampaignId, w.ProjectB, null));

        var sequence = await SequenceAsync(w.CampaignId);
        await hubOnB.WaitForVersionAsync(sequence);
        Assert.Equal(1, hubOnB.Latest!.VotesCast);
        await Assertions.Expect(page.GetByTestId("votes")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId($"votes-{w.ProjectB}")).ToHaveTextAsync("1 vote");
    }

    [Fact]
    public async Task With_redis_stopped_and_restarted_both_nodes_converge_to_the_database_totals()
    {
        var w = await TestWorld.CreateAsync(_a);
        await using var hubOnA = await HubProbe.JoinAsync(_a.BaseAddress, w.CampaignId);
        await using var hubOnB = await HubProbe.JoinAsync(_b.BaseAddress, w.CampaignId);

        await _redis.StopAsync();
        // Each node goes on taking writes while Redis is away.
        for (var i = 0; i < 5; i++)
        {
            await _a.Get<DonationLedger>().LogAsync(w.MerchantA, new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 2, Solidons = 2 });
            await _b.Get<DonationLedger>().LogAsync(w.MerchantB, new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentB, Amount = 3, Solidons = 3 });
        }
        await _redis.StartAsync();

        await using var db = _a.CreateDbContext();
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == w.CampaignId);
        Assert.Equal(2_500, campaign.CollectedCents);
        await Task.WhenAll(hubOnA.WaitForVersionAsync(campaign.Sequence, TimeSpan.FromSeconds(60)), hubOnB.WaitForVersionAsync(campaign.Sequence, TimeSpan.FromSeconds(60)));
        foreach (var probe in new[] { hubOnA, hubOnB })
        {
            Assert.Equal(campaign.CollectedCents, probe.Latest!.CollectedCents);
            Assert.Equal(campaign.Solidons, probe.Latest.Solidons);
        }
    }

    [Fact]
    public async Task The_same_idempotency_key_sent_to_both_nodes_at_once_gives_one_entry_and_one_replay()
    {
        var w = await TestWorld.CreateAsync(_a);
        var (_, secret) = await _a.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse 1");
        for (var round = 0; round < 10; round++)
        {
            var key = $"ticket-{round}-{Guid.NewGuid():N}";
            var answers = await Task.WhenAll(new[] { _a, _b }.Select(async node =>
            {
                using var client = node.CreateHttpClient();
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/campaigns/{w.CampaignId}/donations")
                {
                    Content = new StringContent("{\"amount\":2.5,\"solidons\":1}", Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
                request.Headers.Add("Idempotency-Key", key);
                using var response = await client.SendAsync(request);
                return (response.StatusCode, Replayed: response.Headers.Contains("Idempotent-Replayed"), Body: await response.Content.ReadAsStringAsync());
            }));
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
            Assert.Equal(1, answers.Count(a => a.Replayed));
            Assert.Equal(answers[0].Body, answers[1].Body);
        }
        await using var db = _a.CreateDbContext();
        Assert.Equal(10, await db.Donations.CountAsync(d => d.CampaignId == w.CampaignId));
        Assert.Empty(await _a.Get<LedgerReconciliation>().CheckAsync(w.CampaignId));
    }

    [Fact]
    public async Task A_hundred_parallel_votes_of_one_person_over_both_nodes_count_once()
    {
        var w = await TestWorld.CreateAsync(_a);
        var voter = await w.ContributorAsync(_a);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() =>
            (i % 2 == 0 ? _a : _b).Get<VoteService>().CastAsync(voter, new CastVote(w.CampaignId, i % 3 == 0 ? w.ProjectA : w.ProjectB, null)))));

        Assert.Equal(1, outcomes.Count(o => o == VoteOutcome.Counted));
        await using var db = _a.CreateDbContext();
        Assert.Equal(1, await db.Votes.CountAsync(v => v.CampaignId == w.CampaignId));
        Assert.Equal(1, (await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == w.CampaignId)).VotesCast);
        Assert.Empty(await _a.Get<LedgerReconciliation>().CheckAsync(w.CampaignId));
    }

    [Fact]
    public async Task A_sign_in_and_an_antiforgery_token_made_on_one_node_work_on_the_other_and_after_both_restart()
    {
        var email = await SignInForm.AccountAsync(_a, Roles.Contributor);
        var cookies = new CookieContainer();
        HttpClient On(PortalAppFactory node) => new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = node.BaseAddress };

        // The form comes from node A, the post goes to node B: B must read A's antiforgery cookie and token.
        using (var a = On(_a))
        using (var b = On(_b))
        {
            using var signIn = await SignInForm.PostAsync(a, b, email);
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.DoesNotContain("/Account/Login", signIn.Headers.Location!.OriginalString);
            await AssertSignedInAsync(a);
        }
        await using (var db = _a.CreateDbContext())
            Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());

        // Both nodes go; new ones on the same database read the same key ring.
        var folder = _a.DataFolder;
        // Stopped without removing their folder (IAsyncLifetime's disposal removes it): the database stays.
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _a = new PortalNode(folder, _redis.ConnectionString);
        await _a.InitializeAsync();
        _b = new PortalNode(folder, _redis.ConnectionString);
        await _b.InitializeAsync();
        foreach (var node in new[] { _a, _b })
        {
            using var client = On(node);
            await AssertSignedInAsync(client);
        }
    }

    private static async Task AssertSignedInAsync(HttpClient client)
    {
        using var manage = await client.GetAsync("/moi");
        Assert.Equal(HttpStatusCode.OK, manage.StatusCode);
    }

    private async Task<long> SequenceAsync(int campaignId)
    {
        await using var db = _a.CreateDbContext();
        return await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.Sequence).SingleAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_b).DisposeAsync();
        await ((IAsyncLifetime)_a).DisposeAsync();
        await _redis.DisposeAsync();
    }
}
