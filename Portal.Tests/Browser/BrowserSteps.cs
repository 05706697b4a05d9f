using Microsoft.Playwright;
using Portal.Web.Features.Demo;

namespace Portal.Tests.Browser;

internal static class BrowserSteps
{
    /// <summary>Signs in through the real form, as a person would.</summary>
    public static async Task SignInAsync(IPage page, string email, string password = DemoData.Password)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Adresse e-mail").FillAsync(email);
        await page.GetByLabel("Mot de passe", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter", Exact = true }).ClickAsync();
    }

    /// <summary>Signs in and waits until the form has let the person through (wherever it sends them).</summary>
    public static async Task SignedInAsync(IPage page, string email)
    {
        await SignInAsync(page, email);
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login"));
    }

    /// <summary>Interactive parts answer once the circuit is up: they mark themselves data-interactive="true" then.</summary>
    public static Task WaitForInteractiveAsync(IPage page, string selector = ".mud-appbar") =>
        page.Locator($"{selector}[data-interactive=true]").WaitForAsync();
}
