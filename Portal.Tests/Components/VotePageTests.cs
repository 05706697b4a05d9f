using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Identity;
using Portal.Tests.Support;
using Portal.Web.Features.Votes;

namespace Portal.Tests.Components;

public class VotePageTests : PortalTestContext, IClassFixture<EmptyPortalFactory>
{
    private readonly EmptyPortalFactory _app;

    public VotePageTests(EmptyPortalFactory app)
    {
        _app = app;
        UsePortalServices(app);
    }

    [Fact]
    public async Task Voting_counts_once_remembers_the_place_and_can_be_changed()
    {
        var w = await TestWorld.CreateAsync(_app);
        var ana = await w.ContributorAsync(_app);
        SignInAs(ana, Roles.Contributor);
        string campaignSlug, placeSlug;
        await using (var db = _app.CreateDbContext())
        {
            campaignSlug = await db.Campaigns.Where(c => c.Id == w.CampaignId).Select(c => c.Slug).SingleAsync();
            placeSlug = await db.Establishments.Where(e => e.Id == w.EstablishmentB).Select(e => e.Slug).SingleAsync();
        }
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>()
            .NavigateTo($"campagnes/{campaignSlug}/voter?via={placeSlug}");
        var cut = Render<VotePage>(p => p.Add(v => v.Slug, campaignSlug));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[role=radio]").Count));

        cut.FindAll("[role=radio]")[0].Click();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.FindAll("[role=radio]")[0].GetAttribute("aria-checked")));
        cut.FindAll("[role=radio]")[1].Click();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.FindAll("[role=radio]")[1].GetAttribute("aria-checked")));

        await using var check = _app.CreateDbContext();
        var vote = await check.Votes.SingleAsync(v => v.CampaignId == w.CampaignId);
        Assert.Equal(w.ProjectB, vote.ProjectId);
        Assert.Equal(w.EstablishmentB, vote.ViaEstablishmentId);
        Assert.Equal(1, vote.Changes);
    }
}
