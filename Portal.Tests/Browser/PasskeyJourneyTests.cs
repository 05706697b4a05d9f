using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Portal.Data.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class PasskeyJourneyTests(DemoPortalFactory app, BrowserFixture browser)
{
    [Fact]
    public async Task A_contributor_adds_a_passkey_then_signs_in_with_it_and_no_password()
    {
        // A short address: the staff's walk of the shared demo portal lists every account on a 360 px phone.
        var email = await SignInForm.AccountAsync(app, Roles.Contributor, $"pk-{Guid.NewGuid().ToString("N")[..8]}@test.fr");
        // WebAuthn takes a domain, never an IP address, as the site's identity: the same server, named localhost.
        await using var context = await browser.NewContextAsync(new Uri($"http://localhost:{app.BaseAddress.Port}/"));
        var page = await context.NewPageAsync();
        // Chromium's virtual authenticator stands for the phone's or the laptop's (user verification always passes).
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true, ["hasUserVerification"] = true,
                ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });

        await BrowserSteps.SignInAsync(page, email, SignInForm.Password);
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login"));
        await page.GotoAsync("/moi");
        await BrowserSteps.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter une clé d’accès" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Clé d’accès ajoutée")).ToBeVisibleAsync();
        await using (var db = app.CreateDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Email == email);
            Assert.Equal(1, await db.UserPasskeys.CountAsync(p => p.UserId == user.Id));
        }

        // Signed out, the passkey alone signs in.
        await context.ClearCookiesAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter avec une clé d’accès" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login"));
        await page.GotoAsync("/moi");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mon espace" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_forged_passkey_credential_signs_no_one_in()
    {
        using var client = app.CreateHttpClient(followRedirects: false);
        var page = await client.GetStringAsync("Account/Login");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        foreach (var credential in new[] { "{}", "not json", "{\"id\":\"AAAA\",\"type\":\"public-key\",\"response\":{}}", new string('x', 70_000) })
        {
            var response = await client.PostAsync("Account/PasskeyLogin", new FormUrlEncodedContent(new Dictionary<string, string>
                { ["__RequestVerificationToken"] = token, ["credential"] = credential }));
            Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/Account/Login?passkey=failed", response.Headers.Location?.OriginalString);
            Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".AspNetCore.Identity.Application=") && !c.Contains("expires=Thu, 01 Jan 1970")));
        }
    }
}
