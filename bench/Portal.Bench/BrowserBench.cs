using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Portal.Web.Features.Donations;

namespace Portal.Bench;

public sealed record BrowserResult(int Pages, int Samples, double P50, double P99, int Circuits, double KilobytesPerCircuit);

/// <summary>
/// The same live path seen by real browsers: headless Chromium pages on the campaign dashboard, a MutationObserver
/// timestamping each new version in the DOM; then many idle pages open at once for the server's memory per circuit.
/// </summary>
public static class BrowserBench
{
    private const string Observe = """
        () => {
          window.__seen = [];
          const dashboard = document.querySelector('.sol-dashboard');
          new MutationObserver(() => window.__seen.push([Number(dashboard.dataset.version), Date.now()]))
            .observe(dashboard, { attributes: true, attributeFilter: ['data-version'] });
        }
        """;

    public static async Task<BrowserResult> RunAsync(BenchHost host, int pages, int rate, double seconds, int circuits)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
        });
        var world = await host.SeedAsync(voters: 0);
        string slug;
        long sequence;
        await using (var db = host.Db())
        {
            var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == world.CampaignId);
            (slug, sequence) = (campaign.Slug, campaign.Sequence);
        }

        var context = await browser.NewContextAsync(new() { BaseURL = host.BaseAddress.ToString() });
        var watchers = new List<IPage>();
        for (var i = 0; i < pages; i++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync($"campagnes/{slug}");
            await page.Locator(".sol-dashboard[data-interactive=true]").WaitForAsync(new() { Timeout = 60_000 });
            await page.EvaluateAsync(Observe);
            watchers.Add(page);
        }

        var commits = new Dictionary<long, long>();
        var ledger = host.Get<DonationLedger>();
        var clock = Stopwatch.StartNew();
        var writes = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            var due = TimeSpan.FromSeconds(writes / (double)rate);
            if (clock.Elapsed < due) await Task.Delay(due - clock.Elapsed);
            await ledger.LogAsync(world.Merchant, new LogDonation { CampaignId = world.CampaignId, EstablishmentId = world.EstablishmentA, Amount = 1, Solidons = 1 });
            writes++;
            commits[sequence + writes] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        }
        var final = sequence + writes;
        var latencies = new List<double>();
        foreach (var page in watchers)
        {
            await page.Locator($".sol-dashboard[data-version='{final}']").WaitForAsync(new() { Timeout = 60_000 });
            foreach (var seen in await page.EvaluateAsync<long[][]>("() => window.__seen"))
                if (commits.TryGetValue(seen[0], out var committed)) latencies.Add(seen[1] - committed);
        }
        await context.CloseAsync();

        // Memory: idle circuits on the dashboard, the server's managed heap and working set before and after.
        var before = ServerMemory();
        var idle = await browser.NewContextAsync(new() { BaseURL = host.BaseAddress.ToString() });
        for (var i = 0; i < circuits; i++)
        {
            var page = await idle.NewPageAsync();
            await page.GotoAsync($"campagnes/{slug}");
            await page.Locator(".sol-dashboard[data-interactive=true]").WaitForAsync(new() { Timeout = 60_000 });
        }
        Console.WriteLine("IDLE READY");
        await Task.Delay(int.Parse(Environment.GetEnvironmentVariable("BENCH_IDLE_MS") ?? "2000"));
        var after = ServerMemory();
        await idle.CloseAsync();

        return new BrowserResult(pages, latencies.Count, Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99),
            circuits, (after - before) / 1024.0 / circuits);
    }

    /// <summary>
    /// The host runs in this process: its live managed heap after a full collection is what the circuits hold (the
    /// working set would mostly show the server GC's reserved segments).
    /// </summary>
    private static long ServerMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
