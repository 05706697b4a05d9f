using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Portal.Tests.Support;
using Portal.Web.Features.Demo;

namespace Portal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class FoundationJourneysTests(DemoPortalFactory app, BrowserFixture browser)
{
    [Fact]
    public async Task The_demo_merchant_signs_in_and_lands_on_the_merchant_workspace()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();

        await BrowserSteps.SignInAsync(page, DemoData.RestaurantEmail);

        await page.WaitForURLAsync(new Regex("/commercant$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Espace commerçant" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("establishment")).ToHaveTextAsync("Le Bouchon des Canuts");
    }

    [Fact]
    public async Task The_language_switches_to_english_and_back_to_french()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/campagnes");

        // A visitor's app bar is static: the other language is one link away, keyboard and script free.
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Campaigns", Exact = true })).ToBeVisibleAsync();
        Assert.EndsWith("/campagnes", new Uri(page.Url).AbsolutePath);

        await page.GetByRole(AriaRole.Link, new() { Name = "Français" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Les campagnes" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_signed_in_user_switches_language_from_the_interactive_app_bar()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await BrowserSteps.SignedInAsync(page, DemoData.ContributorEmail);
        await page.GotoAsync("/campagnes");
        await BrowserSteps.WaitForInteractiveAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Langue" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Campaigns", Exact = true })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("/", false)]
    [InlineData("/Account/Login", false)]
    [InlineData("/Account/Register", false)]
    [InlineData("/campagnes/automne-gourmand-solidaire", false)]
    [InlineData("/campagnes/automne-gourmand-solidaire", true)]
    public async Task Pages_have_no_serious_or_critical_accessibility_violations(string path, bool phone)
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress, phone);
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var result = await page.RunAxe();

        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} -> {string.Join(" | ", v.Nodes.Select(n => n.Html).Take(3))}")));
    }

    [Theory]
    [InlineData(null, "/transparence")]
    [InlineData(null, "/projets/les-petites-cantines")]
    [InlineData(DemoData.RestaurantEmail, "/commercant")]
    [InlineData(DemoData.EntrepreneurEmail, "/entrepreneur")]
    [InlineData(DemoData.BeneficiaryEmail, "/structure")]
    [InlineData(DemoData.AdminEmail, "/admin")]
    [InlineData(DemoData.ContributorEmail, "/campagnes/automne-gourmand-solidaire/voter")]
    public async Task Role_pages_on_a_phone_have_no_serious_or_critical_accessibility_violations(string? email, string path)
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var page = await context.NewPageAsync();
        if (email is not null)
        {
            await BrowserSteps.SignedInAsync(page, email);
        }
        await page.GotoAsync(path);
        // Signed in, the app bar is interactive; a visitor's is static (no circuit to wait for).
        if (email is not null) await BrowserSteps.WaitForInteractiveAsync(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var result = await page.RunAxe();

        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} -> {string.Join(" | ", v.Nodes.Select(n => n.Html).Take(3))}")));
    }

    [Fact]
    public async Task Merchant_quick_entry_on_a_phone_moves_the_campaign_total()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var (page, total, before) = await MerchantWorkspaceAsync(context);

        await page.GetByLabel("Montant collecté").FillAsync("4,50");
        await page.GetByLabel("Nombre de solidons").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();

        await Assertions.Expect(total).Not.ToHaveTextAsync(before);
        Assert.Equal(Cents(before) + 450, Cents(await total.InnerTextAsync()));
    }

    [Fact]
    public async Task Merchant_quick_entry_on_a_phone_refuses_bad_numbers_as_typed_and_leaves_the_total_unchanged()
    {
        await using var context = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var (page, total, before) = await MerchantWorkspaceAsync(context);
        var amount = page.GetByLabel("Montant collecté");
        var solidons = page.GetByLabel("Nombre de solidons");
        var save = page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" });

        // Each bad input is refused with its reason; the fields keep what the merchant typed.
        foreach (var (typedAmount, typedSolidons, reason) in new[]
        {
            ("12,50", "0", "Entre 1 et 10 000 solidons par saisie."),
            ("12,50", "-2", "Entre 1 et 10 000 solidons par saisie."),
            ("-5", "3", "Le montant doit être supérieur à zéro."),
            ("12,50", "5.5", "nombre entier"),
            ("0,01", "100", "Le montant ne correspond pas au nombre de solidons"),
        })
        {
            await amount.FillAsync(typedAmount);
            await solidons.FillAsync(typedSolidons);
            await save.ClickAsync();
            await Assertions.Expect(page.GetByText(new Regex(Regex.Escape(reason))).First).ToBeVisibleAsync();
            await Assertions.Expect(amount).ToHaveValueAsync(typedAmount);
            // A number the field cannot read is emptied by MudBlazor once the form validates, with the reason shown.
            if (typedSolidons != "5.5") await Assertions.Expect(solidons).ToHaveValueAsync(typedSolidons);
        }

        Assert.Equal(before, await total.InnerTextAsync());
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a 360 px phone");
    }

    /// <summary>The restaurant's workspace, signed in and interactive, with its campaign total as it stands.</summary>
    private static async Task<(IPage Page, ILocator Total, string Before)> MerchantWorkspaceAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await BrowserSteps.SignInAsync(page, DemoData.RestaurantEmail);
        await page.WaitForURLAsync(new Regex("/commercant$"));
        var total = page.GetByTestId("campaign-total");
        await Assertions.Expect(total).Not.ToBeEmptyAsync();
        var before = await total.InnerTextAsync();
        await BrowserSteps.WaitForInteractiveAsync(page, "form");
        return (page, total, before);
    }

    private static long Cents(string euros) => long.Parse(Regex.Replace(euros, @"[^\d]", ""));
}
