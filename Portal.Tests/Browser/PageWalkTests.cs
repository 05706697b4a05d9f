using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Portal.Tests.Support;
using Portal.Web.Features.Demo;

namespace Portal.Tests.Browser;

/// <summary>
/// Walks every page reachable by links from the home page, once per role, on a desktop (1280 px) and on a phone
/// (360 px): no sideways scroll, no serious or critical axe violation, no failed request, no console error.
/// Every problem of a role is gathered before the assertion, so one run lists them all.
/// </summary>
[Collection(BrowserCollection.Name)]
public class PageWalkTests(DemoPortalFactory app, BrowserFixture browser)
{
    // Pages a role may not be linked to from the home page but that people land on (QR codes, the wall screen).
    private static readonly string[] AlwaysVisited =
    [
        "/campagnes/automne-gourmand-solidaire/voter",
        "/campagnes/automne-gourmand-solidaire/ecran",
        "/Account/ForgotPassword",
    ];

    [Theory]
    [InlineData(null)]
    [InlineData(DemoData.ContributorEmail)]
    [InlineData(DemoData.RestaurantEmail)]
    [InlineData(DemoData.EntrepreneurEmail)]
    [InlineData(DemoData.BeneficiaryEmail)]
    [InlineData(DemoData.AdminEmail)]
    public async Task Every_page_fits_a_phone_and_a_desktop_with_no_violation_failed_request_or_console_error(string? email)
    {
        var problems = new List<string>();
        var visited = new List<string>();
        foreach (var phone in new[] { false, true })
        {
            await using var context = await browser.NewContextAsync(app.BaseAddress, phone);
            var page = await context.NewPageAsync();
            if (email is not null) await BrowserSteps.SignedInAsync(page, email);

            var current = "";
            page.Console += (_, message) =>
            {
                if (message.Type == "error") problems.Add($"{Size(phone)} {current}: console error: {message.Text}");
            };
            page.PageError += (_, error) => problems.Add($"{Size(phone)} {current}: page error: {error}");
            page.RequestFailed += (_, request) =>
            {
                // Leaving a page closes its circuit's socket: that is not a failure of the page.
                if (request.Failure is "net::ERR_ABORTED" && request.ResourceType is "websocket" or "fetch" or "xhr" or "eventsource") return;
                problems.Add($"{Size(phone)} {current}: request failed: {request.Method} {request.Url} ({request.Failure})");
            };
            page.Response += (_, response) =>
            {
                if (response.Status >= 400) problems.Add($"{Size(phone)} {current}: {response.Status} for {response.Url}");
            };

            var queue = new Queue<string>(["/", .. AlwaysVisited, $"/t/{await TicketAsync()}", "/t"]);
            var seen = new HashSet<string>(queue, StringComparer.OrdinalIgnoreCase);
            var shapes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            while (queue.TryDequeue(out var path))
            {
                if (!shapes.Add(Shape(path))) continue;
                current = path;
                if (!phone) visited.Add(path);
                await page.GotoAsync(path);
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                // Signed in, the app bar is interactive; the full-screen pages (kiosk, table cards) have none.
                if (email is not null && await page.Locator(".mud-appbar").CountAsync() > 0) await BrowserSteps.WaitForInteractiveAsync(page);

                // Each tab of the page is looked at too: a tab's panel is only drawn once it is chosen.
                var tabs = await page.GetByRole(AriaRole.Tab).CountAsync();
                for (var tab = 0; tab <= tabs; tab++)
                {
                    var where = tab == 0 ? path : $"{path} (tab {tab})";
                    if (tab > 0)
                    {
                        await page.GetByRole(AriaRole.Tab).Nth(tab - 1).ClickAsync();
                        await Assertions.Expect(page.GetByRole(AriaRole.Tab).Nth(tab - 1)).ToHaveAttributeAsync("aria-selected", "true");
                    }
                    await CheckAsync(page, where, phone, problems);
                    var links = await page.EvaluateAsync<string[]>(LinksScript);
                    foreach (var link in links.Where(Walkable).Where(seen.Add)) queue.Enqueue(link);
                }
            }
        }

        Assert.True(visited.Count >= (email is null ? 8 : 9), "the walk found only: " + string.Join(", ", visited));
        Assert.True(problems.Count == 0, $"{problems.Count} problems on {string.Join(", ", visited)}:\n" + string.Join("\n", problems.Distinct()));
    }

    private static async Task CheckAsync(IPage page, string where, bool phone, List<string> problems)
    {
        var size = Size(phone);
        // A panel fades in and a clicked tab ripples: measured mid-way, colours read too pale. Wait for every running animation.
        await page.EvaluateAsync("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))");
        if (await page.EvaluateAsync<string?>(OverflowScript) is { } overflow) problems.Add($"{size} {where}: scrolls sideways: {overflow}");
        foreach (var word in await page.EvaluateAsync<string[]>(BrokenWordsScript)) problems.Add($"{size} {where}: a word breaks across lines: \"{word}\"");
        foreach (var tab in await page.EvaluateAsync<string[]>(HiddenTabsScript)) problems.Add($"{size} {where}: tab hidden behind the scroll arrows: \"{tab}\"");
        if (phone)
            foreach (var target in await page.EvaluateAsync<string[]>(SmallTargetsScript)) problems.Add($"{size} {where}: tap target under 44 px: {target}");

        var axe = await page.RunAxe();
        foreach (var violation in axe.Violations.Where(v => v.Impact is "serious" or "critical"))
            problems.Add($"{size} {where}: {violation.Impact} {violation.Id}: {violation.Help} -> " +
                         string.Join(" | ", violation.Nodes.Select(n => n.Html).Take(2)));
    }

    /// <summary>A vote ticket of the demonstration campaign, as a receipt would carry: its page links to its trace.</summary>
    private async Task<string> TicketAsync()
    {
        int campaignId, placeId;
        await using (var db = app.CreateDbContext())
        {
            campaignId = await db.Campaigns.Where(c => c.Slug == "automne-gourmand-solidaire").Select(c => c.Id).SingleAsync();
            placeId = await db.Establishments.Where(e => e.Slug == "le-bouchon-des-canuts").Select(e => e.Id).SingleAsync();
        }
        var staff = new Portal.Web.Features.Actor("walk", new HashSet<string> { Portal.Data.Identity.Roles.Admin }, [], null, null);
        return (await app.Get<Portal.Web.Features.Tickets.TicketDesk>().PrintAsync(staff, campaignId, placeId, 1))[0];
    }

    private static string Size(bool phone) => phone ? "360px" : "1280px";

    /// <summary>One page per route shape: one campaign, one project, one transparency page stand for the others.</summary>
    private static string Shape(string path)
    {
        var parts = path.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length >= 2 && parts[0] is "campagnes" or "projets" or "transparence" or "t" or "suivi") parts[1] = "*";
        return "/" + string.Join('/', parts);
    }

    private static bool Walkable(string path) =>
        !path.StartsWith("/api", StringComparison.OrdinalIgnoreCase)
        && !path.StartsWith("/culture", StringComparison.OrdinalIgnoreCase)
        && !path.StartsWith("/Account/Logout", StringComparison.OrdinalIgnoreCase)
        && !path.Split('?')[0].Contains('.') // downloads: .csv, .ics, .png
        && !path.Contains("/export", StringComparison.OrdinalIgnoreCase);

    // Same-origin links of the page, as paths and queries without the fragment.
    private const string LinksScript = """
        () => [...document.querySelectorAll('a[href]')]
          .filter(a => !a.hasAttribute('download'))
          .map(a => new URL(a.href, location.href))
          .filter(u => u.origin === location.origin)
          .map(u => u.pathname + u.search)
        """;

    // Words (split at spaces, hyphens and slashes; a no-break space joins) drawn on two lines: "Établisseme/nt", "273,/25 €".
    // A till key and the receipt's address are not words: they may wrap anywhere.
    private const string BrokenWordsScript = """
        () => {
          const out = [], range = document.createRange();
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n && out.length < 5; n = walker.nextNode()) {
            const el = n.parentElement;
            if (!el || !n.nodeValue.trim() || el.closest('script,style,svg,.sol-key,.sol-receipt') || el.getBoundingClientRect().width < 2) continue;
            const re = /[^ \t\n\r\-\/]{2,}/g; let m;
            while ((m = re.exec(n.nodeValue))) {
              range.setStart(n, m.index); range.setEnd(n, m.index + m[0].length);
              const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
              if (lines.size > 1) { out.push(m[0]); break; }
            }
          }
          return out;
        }
        """;

    // Buttons, menu links, tabs and boxes smaller than 44 px on a side (links inside running text are exempt, WCAG 2.5.8).
    private const string SmallTargetsScript = """
        () => [...document.querySelectorAll('button, [role=button], [role=tab], a.mud-button-root, a.mud-nav-link, summary, input[type=checkbox], input[type=radio], select')]
          .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden' && (r.width < 43.5 || r.height < 43.5); })
          // A box's label is part of its target: a tap on it ticks the box.
          .filter(el => ![...(el.labels || [])].some(l => l.getBoundingClientRect().height >= 43.5))
          .slice(0, 6)
          .map(el => { const r = el.getBoundingClientRect(); return `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 25)}" ${Math.round(r.width)}x${Math.round(r.height)}`; })
        """;

    // Tabs that sit outside their tab bar (behind its scroll arrows) or outside the screen.
    private const string HiddenTabsScript = """
        () => [...document.querySelectorAll('[role=tab]')].filter(tab => {
            const bar = tab.closest('.mud-tabs-tabbar') || tab.parentElement;
            const r = tab.getBoundingClientRect(), b = bar.getBoundingClientRect();
            return r.left < b.left - 0.5 || r.right > b.right + 0.5 || r.right > document.documentElement.clientWidth + 0.5;
          }).map(tab => tab.textContent.trim())
        """;

    // What pokes out of the viewport, if the document scrolls sideways.
    private const string OverflowScript = """
        () => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return null;
          // The innermost elements that poke out, outside fixed bars (a fixed app bar only stretches with the page).
          const out = [], pokes = e => e.getBoundingClientRect().right > width + 0.5;
          const inFixed = e => { for (let x = e; x; x = x.parentElement) if (getComputedStyle(x).position === 'fixed') return true; return false; };
          for (const el of document.body.querySelectorAll('*')) {
            if (pokes(el) && ![...el.children].some(pokes) && !inFixed(el))
              out.push(`${el.tagName.toLowerCase()} "${(el.textContent || '').trim().slice(0, 30)}"`);
          }
          return `${document.documentElement.scrollWidth}px wide: ${out.slice(0, 3).join(', ')}`;
        }
        """;
}
