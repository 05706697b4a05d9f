using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.Support;
using Portal.Web.Features.Demo;

namespace Portal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class RepaymentJourneysTests(DemoPortalFactory app, BrowserFixture browser)
{
    [Fact]
    public async Task Staff_close_and_allocate_a_campaign_then_disburse_and_the_loans_appear()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await BrowserSteps.SignInAsync(page, DemoData.AdminEmail);
        await page.WaitForURLAsync(new Regex("/admin$"));
        await BrowserSteps.WaitForInteractiveAsync(page);
        var card = page.GetByTestId("admin-campaign-mode-et-creation-solidaires");

        await card.GetByRole(AriaRole.Button, new() { Name = "Clôturer la campagne" }).ClickAsync();
        await Assertions.Expect(card.GetByText("Clôturée")).ToBeVisibleAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "Attribuer la collecte" }).ClickAsync();
        await Assertions.Expect(card.GetByText("Attribuée", new() { Exact = true })).ToBeVisibleAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "Verser les prêts" }).ClickAsync();
        await Assertions.Expect(card.GetByText("Prêts versés")).ToBeVisibleAsync();

        await page.GotoAsync("/admin/prets");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("Fil Solidaire, prêt de la campagne Mode et création solidaires") })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Hours_confirmed_by_the_structure_lower_the_entrepreneurs_balance_without_a_reload()
    {
        await using var entrepreneurContext = await browser.NewContextAsync(app.BaseAddress);
        var entrepreneur = await entrepreneurContext.NewPageAsync();
        await BrowserSteps.SignInAsync(entrepreneur, DemoData.EntrepreneurEmail);
        await entrepreneur.WaitForURLAsync(new Regex("/entrepreneur$"));
        await BrowserSteps.WaitForInteractiveAsync(entrepreneur);
        var outstanding = entrepreneur.GetByTestId("outstanding");
        await Assertions.Expect(outstanding).Not.ToBeEmptyAsync();
        var description = $"Inventaire de la réserve {Guid.NewGuid():N}";
        await entrepreneur.GetByLabel("Heures", new() { Exact = true }).FillAsync("1,5");
        await entrepreneur.GetByLabel("Ce qui a été fait").FillAsync(description);
        await entrepreneur.GetByRole(AriaRole.Button, new() { Name = "Déclarer", Exact = true }).ClickAsync();
        await Assertions.Expect(entrepreneur.GetByText(description)).ToBeVisibleAsync();
        var before = Cents(await outstanding.InnerTextAsync());
        var loads = 0;
        entrepreneur.Load += (_, _) => loads++;

        await using var structureContext = await browser.NewContextAsync(app.BaseAddress);
        var structure = await structureContext.NewPageAsync();
        await BrowserSteps.SignInAsync(structure, DemoData.BeneficiaryEmail);
        await structure.WaitForURLAsync(new Regex("/structure$"));
        await BrowserSteps.WaitForInteractiveAsync(structure);
        var entry = structure.Locator("li", new() { HasText = description });
        await entry.GetByRole(AriaRole.Button, new() { Name = "Confirmer" }).ClickAsync();
        await Assertions.Expect(entry.GetByText("Confirmées")).ToBeVisibleAsync();

        // 1,5 h at the demo plan's 20 € an hour.
        await Assertions.Expect(outstanding).ToHaveTextAsync(LiveDashboardTests.EurosPattern(before - 3000));
        Assert.Equal(0, loads);
    }

    [Fact]
    public async Task Hours_an_entrepreneur_declares_appear_on_the_structures_open_page_without_a_reload()
    {
        await using var structureContext = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var structure = await structureContext.NewPageAsync();
        await BrowserSteps.SignInAsync(structure, DemoData.BeneficiaryEmail);
        await structure.WaitForURLAsync(new Regex("/structure$"));
        await BrowserSteps.WaitForInteractiveAsync(structure);
        var pending = structure.GetByTestId("pending-count");
        var before = int.Parse(await pending.InnerTextAsync());
        var loads = 0;
        structure.Load += (_, _) => loads++;

        await using var entrepreneurContext = await browser.NewContextAsync(app.BaseAddress);
        var entrepreneur = await entrepreneurContext.NewPageAsync();
        await BrowserSteps.SignInAsync(entrepreneur, DemoData.EntrepreneurEmail);
        await entrepreneur.WaitForURLAsync(new Regex("/entrepreneur$"));
        await BrowserSteps.WaitForInteractiveAsync(entrepreneur);
        var description = $"Tri des invendus {Guid.NewGuid():N}";
        await entrepreneur.GetByLabel("Heures", new() { Exact = true }).FillAsync("2");
        await entrepreneur.GetByLabel("Ce qui a été fait").FillAsync(description);
        await entrepreneur.GetByRole(AriaRole.Button, new() { Name = "Déclarer", Exact = true }).ClickAsync();

        await Assertions.Expect(structure.GetByText(description)).ToBeVisibleAsync();
        await Assertions.Expect(pending).ToHaveTextAsync((before + 1).ToString());
        Assert.Equal(0, loads);
    }

    private static long Cents(string euros) => long.Parse(Regex.Replace(euros, @"[^\d]", ""));
}
