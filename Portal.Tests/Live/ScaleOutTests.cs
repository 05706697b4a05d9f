using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Portal.Tests.Support;
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
        await Assertions.Expect(page.GetByTestId($"votes-{w.ProjectB}")).ToHaveTextAsync("1 votes");
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
