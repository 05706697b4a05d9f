using Bunit;
using Portal.Tests.Support;
using Portal.Web.Features.Live;

namespace Portal.Tests.Components;

public class CampaignDashboardTests : PortalTestContext, IClassFixture<EmptyPortalFactory>
{
    private readonly EmptyPortalFactory _app;

    public CampaignDashboardTests(EmptyPortalFactory app)
    {
        _app = app;
        UsePortalServices(app);
    }

    private static CampaignSnapshot Snapshot(int campaignId, long version, long collectedCents, int solidons) => new(
        campaignId, version, "Open", 200_000, collectedCents, solidons, 3, 1,
        [new LeaderboardRow(1, "Le Bouchon des Canuts", collectedCents, solidons)], true, 4,
        [new ProjectStanding(10, "Les Petites Cantines", "les-petites-cantines", 4, 0)], null,
        [new ActivityItem(1, DateTimeOffset.UtcNow, "Le Bouchon des Canuts", collectedCents, solidons, false)], DateTimeOffset.UtcNow);

    [Fact]
    public async Task The_dashboard_renders_a_pushed_snapshot()
    {
        var w = await TestWorld.CreateAsync(_app);
        var cut = Render<CampaignDashboard>(p => p.Add(d => d.CampaignId, w.CampaignId));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Instance.Shown));

        await _app.Get<CampaignFeed>().AcceptRemoteAsync(Snapshot(w.CampaignId, 1_000, 123_450, 321));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("1 234,50 €", Text(cut.Find("[data-testid=collected]")));
            Assert.Equal("321", Text(cut.Find("[data-testid=solidons]")));
            Assert.Equal("4 votes", Text(cut.Find("[data-testid=votes-10]")));
        });
    }

    [Fact]
    public async Task An_older_snapshot_does_not_overwrite_a_newer_one()
    {
        var w = await TestWorld.CreateAsync(_app);
        var cut = Render<CampaignDashboard>(p => p.Add(d => d.CampaignId, w.CampaignId));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Instance.Shown));
        var feed = _app.Get<CampaignFeed>();

        await feed.AcceptRemoteAsync(Snapshot(w.CampaignId, 2_000, 50_000, 40));
        cut.WaitForAssertion(() => Assert.Equal("500,00 €", Text(cut.Find("[data-testid=collected]"))));
        // Delivered straight to the component, as a late message would be.
        await cut.InvokeAsync(() => cut.Instance.Accept(Snapshot(w.CampaignId, 1_999, 10_000, 8)));
        cut.Render();

        Assert.Equal("500,00 €", Text(cut.Find("[data-testid=collected]")));
        Assert.Equal(2_000, cut.Instance.Shown!.Version);
    }

    [Fact]
    public async Task Hidden_votes_show_the_count_of_votes_but_not_the_standings()
    {
        var w = await TestWorld.CreateAsync(_app);
        var cut = Render<CampaignDashboard>(p => p.Add(d => d.CampaignId, w.CampaignId));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Instance.Shown));
        var hidden = Snapshot(w.CampaignId, 5_000, 100, 1) with
        {
            VotesVisible = false,
            Projects = [new ProjectStanding(10, "Les Petites Cantines", "les-petites-cantines", null, 0)],
        };
        await _app.Get<CampaignFeed>().AcceptRemoteAsync(hidden);

        cut.WaitForAssertion(() => Assert.Contains("résultats seront dévoilés à la clôture", cut.Markup));
        Assert.Empty(cut.FindAll("[data-testid=votes-10]"));
    }

    [Fact]
    public async Task The_vote_chart_waits_for_its_button_on_the_public_page_and_shows_at_once_on_the_kiosk()
    {
        var w = await TestWorld.CreateAsync(_app);
        var page = Render<CampaignDashboard>(p => p.Add(d => d.CampaignId, w.CampaignId));
        var kiosk = Render<CampaignDashboard>(p => p.Add(d => d.CampaignId, w.CampaignId).Add(d => d.Kiosk, true));
        page.WaitForAssertion(() => Assert.NotNull(page.Instance.Shown));
        kiosk.WaitForAssertion(() => Assert.NotNull(kiosk.Instance.Shown));

        await _app.Get<CampaignFeed>().AcceptRemoteAsync(Snapshot(w.CampaignId, 1_000, 123_450, 321));

        page.WaitForAssertion(() => Assert.Equal("false", page.Find("[data-testid=votes-chart-toggle]").GetAttribute("aria-expanded")));
        Assert.Empty(page.FindAll(".mud-chart"));
        kiosk.WaitForAssertion(() => Assert.NotEmpty(kiosk.FindAll(".mud-chart")));

        page.Find("[data-testid=votes-chart-toggle]").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".mud-chart")));
        Assert.Equal("true", page.Find("[data-testid=votes-chart-toggle]").GetAttribute("aria-expanded"));
        // A later snapshot redraws the open chart rather than closing it.
        await _app.Get<CampaignFeed>().AcceptRemoteAsync(Snapshot(w.CampaignId, 1_001, 123_650, 322));
        page.WaitForAssertion(() => Assert.Equal("1 236,50 €", Text(page.Find("[data-testid=collected]"))));
        Assert.NotEmpty(page.FindAll(".mud-chart"));
    }
}
