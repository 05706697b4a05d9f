using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Portal.Tests.Support;
using Portal.Web.Features.Api;
using Portal.Web.Features.Campaigns;

namespace Portal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class TicketJourneyTests(DemoPortalFactory app, BrowserFixture browser)
{
    [Fact]
    public async Task A_customer_votes_with_the_ticket_on_the_receipt_in_two_taps_moves_it_and_follows_the_solidon()
    {
        // A campaign of its own: the journey ends by closing and allocating it.
        var w = await TestWorld.CreateAsync(app);
        var (_, key) = await app.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse");
        using var till = app.CreateHttpClient();
        till.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/campaigns/{w.CampaignId}/donations")
            { Content = JsonContent.Create(new { amount = 2.5m, solidons = 2, tickets = 2 }) };
        request.Headers.Add("Idempotency-Key", "receipt-42");
        var entry = (await (await till.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>())[0];
        var url = entry.GetProperty("tickets")[0].GetProperty("url").GetString()!;
        string slug;
        await using (var db = app.CreateDbContext())
            slug = await db.Campaigns.Where(c => c.Id == w.CampaignId).Select(c => c.Slug).SingleAsync();

        await using var watching = await browser.NewContextAsync(app.BaseAddress);
        var dashboard = await watching.NewPageAsync();
        await dashboard.GotoAsync($"/campagnes/{slug}");
        await dashboard.Locator(".sol-dashboard[data-interactive=true]").WaitForAsync();
        var votes = dashboard.GetByTestId("votes");
        await Assertions.Expect(votes).ToHaveTextAsync("0");

        await using var phone = await browser.NewContextAsync(app.BaseAddress, phone: true);
        var page = await phone.NewPageAsync();
        await page.GotoAsync(url);
        await Assertions.Expect(page.GetByText($"Restaurant A")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "ticket-phone.png");
        // Two taps: choose, confirm.
        await page.GetByRole(AriaRole.Radio, new() { Name = "Projet Un" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirmer mon vote" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "est compté" })).ToBeVisibleAsync();
        await Assertions.Expect(votes).ToHaveTextAsync("1");
        await page.Locator(".sol-dashboard[data-interactive=true]").WaitForAsync();
        await ScreenshotAsync(page, "ticket-voted-phone.png");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the ticket page overflows a 360 px phone");

        // The same ticket moves the vote.
        await page.GetByRole(AriaRole.Radio, new() { Name = "Projet Deux" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Changer mon vote" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "va maintenant" })).ToBeVisibleAsync();
        await Assertions.Expect(votes).ToHaveTextAsync("1");

        await page.GetByRole(AriaRole.Link, new() { Name = "Suivre mon solidon" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Chez Restaurant A", new() { Exact = false })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("sera répartie", new() { Exact = false })).ToBeVisibleAsync();

        // The staff closes and allocates: the open trace page shows the project financed without a reload.
        await page.Locator(".sol-trace[data-live=true]").WaitForAsync();
        var lifecycle = app.Get<CampaignLifecycle>();
        await lifecycle.CloseAsync(w.Admin, w.CampaignId, await VersionAsync(w.CampaignId));
        await lifecycle.AllocateAsync(w.Admin, w.CampaignId, await VersionAsync(w.CampaignId));
        await Assertions.Expect(page.GetByTestId("trace-project").Filter(new() { HasText = "Projet Deux" })).ToContainTextAsync("votre choix");

        // Forged and expired tickets are refused with their messages.
        await page.GotoAsync("/t/AAAA-BBBB-CCCC-DDDD");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("n’est pas un code de ticket");
        await page.GotoAsync(entry.GetProperty("tickets")[1].GetProperty("url").GetString()!);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("n’est plus valable");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Confirmer mon vote" })).ToHaveCountAsync(0);
    }

    /// <summary>With SOLIDONS_SCREENSHOTS set to a folder (docs/screenshots), the README's pictures of the ticket flow are taken on the way.</summary>
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("SOLIDONS_SCREENSHOTS") is { Length: > 0 } folder)
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), FullPage = true });
    }

    private async Task<int> VersionAsync(int campaignId)
    {
        await using var db = app.CreateDbContext();
        return await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.Version).SingleAsync();
    }
}
