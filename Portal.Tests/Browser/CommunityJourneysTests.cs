using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Portal.Tests.Support;
using Portal.Web.Features;
using Portal.Web.Features.Community;
using Portal.Web.Features.Demo;

namespace Portal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class CommunityJourneysTests(DemoPortalFactory app, BrowserFixture browser)
{
    [Fact]
    public async Task From_the_QR_code_on_a_phone_a_newcomer_signs_up_votes_and_the_dashboard_elsewhere_moves()
    {
        await using var watching = await browser.NewContextAsync(app.BaseAddress);
        var dashboard = await watching.NewPageAsync();
        await dashboard.GotoAsync("/campagnes/automne-gourmand-solidaire");
        await dashboard.Locator(".sol-dashboard[data-interactive=true]").WaitForAsync();
        var votes = dashboard.GetByTestId("votes");
        var before = int.Parse(await votes.InnerTextAsync());

        await using var phone = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var page = await phone.NewPageAsync();
        await page.GotoAsync("/campagnes/automne-gourmand-solidaire/voter?via=le-bouchon-des-canuts");
        await page.WaitForURLAsync(new Regex("/Account/Login"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Créer un compte" }).Last.ClickAsync();
        var email = $"qr-{Guid.NewGuid():N}@exemple.fr";
        await page.GetByLabel("Votre prénom ou pseudonyme").FillAsync("Sam");
        await page.GetByLabel("Adresse e-mail").FillAsync(email);
        await page.GetByLabel("Mot de passe", new() { Exact = true }).FillAsync("un bon mot de passe pour voter ce soir");
        await page.GetByLabel("Confirmez le mot de passe").FillAsync("un bon mot de passe pour voter ce soir");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer mon compte" }).ClickAsync();

        await page.WaitForURLAsync(new Regex("/voter\\?via=le-bouchon-des-canuts"));
        await page.Locator(".sol-dashboard[data-interactive=true]").WaitForAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = "Voter pour In, le Fruit de Terre" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Votre choix" })).ToBeVisibleAsync();

        await Assertions.Expect(votes).ToHaveTextAsync((before + 1).ToString());
        await using var db = app.CreateDbContext();
        var voter = await db.Users.SingleAsync(u => u.Email == email);
        var vote = await db.Votes.SingleAsync(v => v.ContributorId == voter.Id);
        Assert.Equal(await db.Establishments.Where(e => e.Slug == "le-bouchon-des-canuts").Select(e => e.Id).SingleAsync(), vote.ViaEstablishmentId);
    }

    [Fact]
    public async Task News_on_a_followed_project_raises_the_bell_badge_without_a_reload()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await BrowserSteps.SignedInAsync(page, DemoData.ContributorEmail);
        await BrowserSteps.WaitForInteractiveAsync(page);
        var bell = page.GetByTestId("bell");
        var before = int.Parse(await bell.GetAttributeAsync("data-unread") ?? "0");
        var loads = 0;
        page.Load += (_, _) => loads++;

        await using (var db = app.CreateDbContext())
        {
            var lea = await db.Users.SingleAsync(u => u.Email == DemoData.EntrepreneurEmail);
            var actor = await app.Get<ActorResolver>().ResolveAsync(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, lea.Id)], "test")));
            await app.Get<CommunityService>().PostNewsAsync(actor, new PostNews { ProjectId = lea.ProjectId!.Value, Title = "Ouverture samedi", Markdown = "Venez **nombreux** !" });
        }

        await Assertions.Expect(bell).ToHaveAttributeAsync("data-unread", (before + 1).ToString());
        Assert.Equal(0, loads);
    }
}
