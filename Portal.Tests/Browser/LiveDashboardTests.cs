using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.Support;
using Portal.Web.Features.Demo;

namespace Portal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class LiveDashboardTests(DemoPortalFactory app, BrowserFixture browser)
{
    [Fact]
    public async Task The_dashboard_updates_without_a_reload_when_a_merchant_logs_a_donation_in_another_browser()
    {
        await using var watcherContext = await browser.NewContextAsync(app.BaseAddress);
        var dashboard = await watcherContext.NewPageAsync();
        await dashboard.GotoAsync("/campagnes/automne-gourmand-solidaire");
        await dashboard.Locator(".sol-dashboard[data-interactive=true]").WaitForAsync();
        var collected = dashboard.GetByTestId("collected");
        var before = Cents(await collected.InnerTextAsync());
        var loads = 0;
        dashboard.Load += (_, _) => loads++;

        await using var merchantContext = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var till = await merchantContext.NewPageAsync();
        await BrowserSteps.SignInAsync(till, DemoData.RestaurantEmail);
        await till.WaitForURLAsync(new Regex("/commercant$"));
        await BrowserSteps.WaitForInteractiveAsync(till, "form");
        await till.GetByLabel("Montant collecté").FillAsync("12,30");
        await till.GetByLabel("Nombre de solidons").FillAsync("7");
        await till.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();

        await Assertions.Expect(collected).ToHaveTextAsync(EurosPattern(before + 1230));
        Assert.Equal(0, loads);
    }

    private static long Cents(string euros) => long.Parse(Regex.Replace(euros, @"[^\d]", ""));

    /// <summary>"1 234,56 €" whatever kind of space ICU puts between the groups and before the sign.</summary>
    internal static Regex EurosPattern(long cents) =>
        new("^" + Regex.Replace((cents / 100m).ToString("N2", System.Globalization.CultureInfo.GetCultureInfo("fr-FR")), @"\s", @"\s") + @"\s€$");
}
