using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Live;
using Portal.Web.Features.Votes;

namespace Portal.Bench;

public sealed record BrowserResult(int Pages, double Seconds, int Samples, double P50, double P99, double LastWriteMs, int Circuits, double KilobytesPerCircuit, double WorkingSetKilobytesPerCircuit);

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
            watchers.Add(page);
        }

        // Writes first run unmeasured for a few seconds, so that the figures are the steady state and not the JIT
        // compiling the live path; the pages then start recording.
        var ledger = host.Get<DonationLedger>();
        var writes = 0;
        await WriteAsync(ledger, world, rate, 10, _ => writes++);
        foreach (var page in watchers) await page.EvaluateAsync(Observe);
        var commits = new Dictionary<long, long>();
        await WriteAsync(ledger, world, rate, seconds, _ =>
        {
            writes++;
            commits[sequence + writes] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        });
        var final = sequence + writes;
        var latencies = new List<double>();
        var lastWrite = new List<double>();
        var diag = new List<(long Version, double Ms)>();
        foreach (var page in watchers)
        {
            await page.Locator($".sol-dashboard[data-version='{final}']").WaitForAsync(new() { Timeout = 60_000 });
            foreach (var seen in await page.EvaluateAsync<long[][]>("() => window.__seen"))
                if (commits.TryGetValue(seen[0], out var committed))
                {
                    latencies.Add(seen[1] - committed);
                    diag.Add((seen[0], seen[1] - committed));
                    if (seen[0] == final) lastWrite.Add(seen[1] - committed);
                }
        }
        if (Stats.Diagnose)
            Console.WriteLine($"DIAG browser slowest (version, ms): {string.Join(", ", diag.OrderByDescending(d => d.Ms).Take(30).Select(d => $"{d.Version - sequence}:{d.Ms:F0}"))}; last write {final - sequence}");
        await context.CloseAsync();

        // Memory: the server's growth with M idle dashboard pages open, minus what M pages cost the Playwright client
        // that shares this process (measured as the managed heap's growth with M pages that hold no circuit, the
        // sign-in form). The dashboard is that of a campaign during an event, every part filled: ten places on the
        // leaderboard, three projects with their votes, a full feed (the vote chart closed, as a visitor first sees it).
        // A first round of both, unmeasured, pays for what the process grows once (thread stacks, pools, code, caches:
        // 12-20 MB more in a first round than in a second, measured); then four rounds in turn, and the median. The
        // sign-in round's working set is not the baseline: it moved by -5.4 to +1.1 MB between rounds, resident
        // anonymous memory of earlier work leaving the process while the pages open (0 KB of it file-backed, measured),
        // up to a third of the signal; the client's own cost per page is its managed objects (about 8 KB).
        var (login, dashboard, ready) = ("Account/Login", $"campagnes/{await EventCampaignAsync(host)}", ".sol-dashboard[data-interactive=true]");
        await HeapGrowthAsync(browser, host, login, null, circuits);
        await HeapGrowthAsync(browser, host, dashboard, ready, circuits);
        var rounds = new List<(long Heap, long WorkingSet)>();
        for (var round = 0; round < MemoryRounds; round++)
        {
            var withoutCircuits = await HeapGrowthAsync(browser, host, login, null, circuits);
            var withCircuits = await HeapGrowthAsync(browser, host, dashboard, ready, circuits);
            rounds.Add((withCircuits.Heap - withoutCircuits.Heap, withCircuits.WorkingSet - withoutCircuits.Heap));
            if (Stats.Diagnose)
                Console.WriteLine($"DIAG memory round {round}: heap {withoutCircuits.Heap / 1024} / {withCircuits.Heap / 1024} KB, working set {withoutCircuits.WorkingSet / 1024} / {withCircuits.WorkingSet / 1024} KB (sign-in / dashboards)");
        }

        return new BrowserResult(pages, seconds, latencies.Count, Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99),
            Stats.Percentile(lastWrite, 50), circuits, Stats.Median(rounds.Select(r => (double)r.Heap)) / 1024.0 / circuits,
            Stats.Median(rounds.Select(r => (double)r.WorkingSet)) / 1024.0 / circuits);
    }

    /// <summary>Measured rounds of the memory reading (after one unmeasured round); the report gives their median.</summary>
    public const int MemoryRounds = 4;

    private static async Task WriteAsync(DonationLedger ledger, BenchWorld world, int rate, double seconds, Action<int> committed)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; clock.Elapsed.TotalSeconds < seconds; i++)
        {
            var due = TimeSpan.FromSeconds(i / (double)rate);
            if (clock.Elapsed < due) await Task.Delay(due - clock.Elapsed);
            await ledger.LogAsync(world.Merchant, new LogDonation { CampaignId = world.CampaignId, EstablishmentId = world.EstablishmentA, Amount = 1, Solidons = 1 });
            committed(i);
        }
    }

    /// <summary>A campaign whose dashboard shows everything at its fullest: ten places, three projects with votes, the feed.</summary>
    private static async Task<string> EventCampaignAsync(BenchHost host)
    {
        var world = await host.SeedAsync(voters: 30, places: SnapshotReader.LeaderboardSize, projects: 3);
        var ledger = host.Get<DonationLedger>();
        for (var i = 0; i < world.Places.Count; i++)
            await ledger.LogAsync(world.Merchant, new LogDonation { CampaignId = world.CampaignId, EstablishmentId = world.Places[i], Amount = 10 + i, Solidons = 1 + i });
        var votes = host.Get<VoteService>();
        for (var i = 0; i < world.Voters.Count; i++)
            await votes.CastAsync(world.Voters[i], new CastVote(world.CampaignId, world.Projects[i % world.Projects.Count], null));
        await using var db = host.Db();
        return await db.Campaigns.Where(c => c.Id == world.CampaignId).Select(c => c.Slug).SingleAsync();
    }

    private static async Task<(long Heap, long WorkingSet)> HeapGrowthAsync(IBrowser browser, BenchHost host, string path, string? readySelector, int pages)
    {
        var before = ServerMemory();
        var rssBefore = Stats.Diagnose ? Rss() : default;
        var context = await browser.NewContextAsync(new() { BaseURL = host.BaseAddress.ToString() });
        // Opened a few at a time: one by one, a round of full dashboards took minutes.
        const int together = 8;
        for (var opened = 0; opened < pages; opened += together)
            await Task.WhenAll(Enumerable.Range(0, Math.Min(together, pages - opened)).Select(async _ =>
            {
                var page = await context.NewPageAsync();
                await page.GotoAsync(path);
                if (readySelector is not null) await page.Locator(readySelector).WaitForAsync(new() { Timeout = 60_000 });
            }));
        if (Stats.Diagnose)
            Console.WriteLine($"DIAG idle with {pages} pages on {path}: process {Environment.ProcessId}"); // for dotnet-gcdump
        await Task.Delay(int.Parse(Environment.GetEnvironmentVariable("BENCH_IDLE_MS") ?? "2000"));
        var after = ServerMemory();
        if (Stats.Diagnose)
        {
            var rssAfter = Rss();
            Console.WriteLine($"DIAG {path}: resident anonymous {(rssAfter.Anon - rssBefore.Anon) / 1024} KB, file-backed {(rssAfter.File - rssBefore.File) / 1024} KB, " +
                $"working set {(after.WorkingSet - before.WorkingSet) / 1024} KB; threads {rssBefore.Threads} -> {rssAfter.Threads}");
        }
        await context.CloseAsync();
        return (after.Heap - before.Heap, after.WorkingSet - before.WorkingSet);
    }

    /// <summary>
    /// The host runs in this process. Both figures are read after an aggressive full collection, which also gives the
    /// GC's free regions back to the system: otherwise the working set moves in steps of whatever the GC kept
    /// committed from earlier work (the same 100 circuits measured 28 to 499 KB each that way), not with what the
    /// circuits hold.
    /// </summary>
    private static (long Heap, long WorkingSet) ServerMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (OperatingSystem.IsLinux()) MallocTrim(0);
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64);
    }

    /// <summary>
    /// The process's resident memory by kind (Linux): what it allocated, and the pages of files it maps (code,
    /// libraries); and its threads, whose stacks leave with them when the thread pool retires idle workers.
    /// </summary>
    private static (long Anon, long File, int Threads) Rss()
    {
        if (!OperatingSystem.IsLinux()) return default;
        var status = File.ReadAllLines("/proc/self/status");
        string Field(string name) => status.First(l => l.StartsWith(name)).Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1];
        return (long.Parse(Field("RssAnon:")) * 1024, long.Parse(Field("RssFile:")) * 1024, int.Parse(Field("Threads:")));
    }

    // glibc keeps the native memory freed by the threads' arenas (SQLite pages, sockets' buffers) until asked.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
