using Bunit;
using Portal.Data.Identity;
using Portal.Tests.Support;
using Portal.Web.Features.Community;

namespace Portal.Tests.Components;

public class CommunityComponentsTests : PortalTestContext, IClassFixture<EmptyPortalFactory>
{
    private readonly EmptyPortalFactory _app;

    public CommunityComponentsTests(EmptyPortalFactory app)
    {
        _app = app;
        UsePortalServices(app);
    }

    [Fact]
    public void News_render_their_markdown_without_letting_script_through()
    {
        var html = _app.Get<MarkdownRenderer>().ToSafeHtml("**Merci** <script>alert(1)</script>");
        var cut = Render<NewsList>(p => p.Add(n => n.News, [new NewsView(1, "Projet", "projet", "Titre", html, DateTimeOffset.UtcNow)]));

        Assert.Equal("Merci", cut.Find(".sol-news-body strong").TextContent);
        Assert.Empty(cut.FindAll("script"));
        // Neither run nor shown as literal tags or code.
        Assert.DoesNotContain("<script>", cut.Find(".sol-news-body").TextContent);
        Assert.DoesNotContain("alert", cut.Find(".sol-news-body").TextContent);
    }

    [Fact]
    public async Task A_comment_with_markup_is_shown_as_text_and_the_form_validates_length()
    {
        var w = await TestWorld.CreateAsync(_app);
        var ana = await w.ContributorAsync(_app);
        SignInAs(ana, Roles.Contributor);
        var cut = Render<ProjectComments>(p => p.Add(c => c.ProjectId, w.ProjectA));

        cut.Find("#comment-text").Change("<img src=x onerror=alert(1)> Bravo !");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("<img src=x onerror=alert(1)> Bravo !", cut.Find(".sol-comment").TextContent));
        Assert.Empty(cut.FindAll(".sol-comment img"));

        cut.Find("#comment-text").Change(new string('a', 1001));
        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.Contains("Un commentaire fait au plus 1 000 caractères.", cut.Markup));
        Assert.Single(cut.FindAll(".sol-comment"));
    }

    [Fact]
    public async Task The_bell_counts_new_notifications_as_they_arrive()
    {
        var w = await TestWorld.CreateAsync(_app);
        var ana = await w.ContributorAsync(_app);
        var cut = Render<NotificationBell>(p => p.Add(b => b.UserId, ana.UserId));
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=bell]").GetAttribute("data-unread")));

        await _app.Get<NotificationCenter>().NotifyAsync([ana.UserId], Portal.Domain.Community.NotificationKind.ProjectNews, "Projet", "projets/x");
        await _app.Get<NotificationCenter>().NotifyAsync([ana.UserId], Portal.Domain.Community.NotificationKind.CampaignClosed, "Campagne", "campagnes/x");

        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=bell]").GetAttribute("data-unread")));
    }
}
