using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>The wall screen of a campaign, on the two common screen sizes.</summary>
[Collection(BrowserCollection.Name)]
public class KioskTests(DemoPortalFactory app, BrowserFixture browser)
{
    private const string Kiosk = "/campagnes/automne-gourmand-solidaire/ecran";

    [Theory]
    [InlineData(1280, 720)]
    [InlineData(1920, 1080)]
    public async Task The_kiosk_fits_the_screen_with_a_qr_code_to_vote_a_chart_matching_its_legend_and_no_button(int width, int height)
    {
        await using var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseAddress.ToString(), Locale = "fr-FR", ViewportSize = new() { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Kiosk);
        await page.Locator(".sol-dashboard[data-interactive=true]").WaitForAsync();
        await page.Locator(".mud-chart svg").WaitForAsync();

        var fit = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]");
        Assert.True(fit[0] <= width && fit[1] <= height, $"the kiosk is {fit[0]}x{fit[1]} on a {width}x{height} screen");

        // Every figure stays inside its tile (the projection used to spill out).
        var spills = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.sol-stats > div, .mud-paper')].filter(box => {
                const b = box.getBoundingClientRect();
                return [...box.querySelectorAll('*')].some(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > b.right + 0.5 || r.bottom > b.bottom + 0.5); });
              }).map(box => box.textContent.trim().slice(0, 40))
            """);
        Assert.Empty(spills);

        Assert.Equal(0, await page.Locator("button, [role=button]").CountAsync());

        var qr = page.GetByTestId("kiosk-qr");
        var box = await qr.BoundingBoxAsync();
        Assert.True(box is { Width: >= 200, Height: >= 200 }, $"the QR code is {box?.Width}x{box?.Height} px");
        var svg = await page.APIRequest.GetAsync(await qr.GetAttributeAsync("src") ?? "");
        Assert.Equal(200, svg.Status);
        Assert.StartsWith("image/svg+xml", svg.Headers["content-type"]);
        await Assertions.Expect(page.Locator(".sol-kiosk-address")).ToContainTextAsync("/campagnes/automne-gourmand-solidaire/voter");

        // Each project's swatch, bar and slice share one colour.
        var colours = await page.EvaluateAsync<string[][]>("""
            () => {
              const norm = c => { const d = document.createElement('div'); d.style.color = c; document.body.appendChild(d); const v = getComputedStyle(d).color; d.remove(); return v; };
              const swatches = [...document.querySelectorAll('.sol-bars .sol-swatch')].map(s => getComputedStyle(s).backgroundColor);
              const bars = [...document.querySelectorAll('.sol-bars .mud-progress-linear-bar')].map(b => getComputedStyle(b).backgroundColor);
              const slices = [...document.querySelectorAll('.mud-chart svg [stroke], .mud-chart svg [fill]')]
                .flatMap(e => [e.getAttribute('stroke'), e.getAttribute('fill')]).filter(c => c && c.startsWith('#')).map(norm);
              return [swatches, bars, [...new Set(slices)]];
            }
            """);
        Assert.True(colours[0].Length >= 2, "the demo campaign has at least two projects with votes");
        Assert.Equal(colours[0], colours[1]);
        Assert.Equal(colours[0].Order(), colours[2].Order());

        var serious = (await page.RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical").Select(v => v.Id).ToList();
        Assert.Empty(serious);
    }
}
