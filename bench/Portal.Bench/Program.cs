using System.Diagnostics;
using System.Globalization;
using System.Text;

// The benchmark harness: starts the portal in-process on Kestrel (127.0.0.1) over a fresh SQLite file, measures,
// prints a table and writes docs/benchmarks.md. Options: --clients 2000 --rate 500 --seconds 30 --writers 16,64
// --votes 400000 --donations 200000 --report docs/benchmarks.md; --only live,ingest,page,browser runs some parts and
// only prints them.
namespace Portal.Bench;

public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var options = Options.Parse(args);
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        Console.WriteLine($"Solidons bench: {options.Clients} clients, {options.Rate} writes/s for {options.Seconds} s, writers {string.Join('/', options.Writers)}, page with {options.Votes} votes and {options.Donations} entries");

        await using var host = await BenchHost.StartAsync();
        if (options.Only is { } only)
        {
            // A partial run, to work on one figure: printed, never written to the report.
            if (only.Contains("live")) Console.WriteLine(await LiveBench.RunAsync(host, options.Clients, options.Rate, options.Seconds));
            if (only.Contains("ingest")) await IngestAsync(host, options);
            if (only.Contains("page")) Console.WriteLine(await PageBench.RunAsync(host, options.Votes, options.Donations, concurrency: 50, requests: options.PageRequests));
            if (only.Contains("browser")) Console.WriteLine(await BrowserBench.RunAsync(host, options.Pages, rate: 50, options.Seconds, options.Circuits));
            return 0;
        }
        var live = await LiveBench.RunAsync(host, options.Clients, options.Rate, options.Seconds);
        Console.WriteLine($"live: p50 {live.P50:F1} ms, p99 {live.P99:F1} ms (bare p99 {live.BareP99:F1} ms), round ratios {string.Join(", ", live.Rounds.Select(r => r.Ratio.ToString("F2")))}, converged {live.Converged}, lost {live.LostIncrements}");

        var (ingest, bareSingle, bare, pairs, bareHttp) = await IngestAsync(host, options);

        var page = await PageBench.RunAsync(host, options.Votes, options.Donations, concurrency: 50, requests: options.PageRequests);
        Console.WriteLine($"page: p95 {page.P95Ms:F1} ms, {page.QueriesPerRender} queries per render");

        // As long as the hub run: the last write of the burst (which waits a tick) weighs as much in both p99s.
        var browser = await BrowserBench.RunAsync(host, options.Pages, rate: 50, options.Seconds, options.Circuits);
        Console.WriteLine($"browser: p50 {browser.P50:F0} ms, p99 {browser.P99:F0} ms over {browser.Samples} samples; {browser.KilobytesPerCircuit:F0} KB per idle circuit (working set {browser.WorkingSetKilobytesPerCircuit:F0} KB)");

        var report = Report.Write(options, live, ingest, bareSingle, bare, pairs, bareHttp, page, browser);
        Console.WriteLine(report);
        if (options.ReportPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.ReportPath))!);
            await File.WriteAllTextAsync(options.ReportPath, report);
            Console.WriteLine($"written to {options.ReportPath}");
        }
        return live.Converged && live.LostIncrements == 0 ? 0 : 2;
    }

    private static async Task<(List<IngestResult> Ingest, IngestResult BareSingle, IngestResult Bare, LedgerPairs Pairs, IngestResult BareHttp)> IngestAsync(BenchHost host, Options options)
    {
        var world = await host.SeedAsync(voters: 2_000);
        var ingest = new List<IngestResult>();
        foreach (var writers in options.Writers)
        {
            ingest.Add(await IngestBench.ServicesAsync(host, world, writers, options.IngestSeconds));
            ingest.Add(await IngestBench.ApiAsync(host, world, writers, options.IngestSeconds));
            ingest.Add(await IngestBench.VotesAsync(host, world, writers, options.IngestSeconds));
        }
        var bareSingle = await IngestBench.BareSqliteAsync(host.Folder, options.IngestSeconds, rowsPerTransaction: 1);
        var bare = await IngestBench.BareSqliteAsync(host.Folder, options.IngestSeconds, rowsPerTransaction: options.Writers.Max());
        var pairs = await PairedLedgerRoundsAsync(host, world, options);
        var bareHttp = await IngestBench.ApiAsync(host, world, options.Writers.Max(), options.IngestSeconds, bare: true);
        Console.WriteLine($"bare HTTP x{bareHttp.Writers}: {bareHttp.WritesPerSecond:F0}/s");
        foreach (var r in ingest) Console.WriteLine($"ingest {r.Path} x{r.Writers}: {r.WritesPerSecond:F0}/s, p99 {r.P99Ms:F1} ms, failures {r.Failures}");
        Console.WriteLine($"bare SQLite: {bareSingle.WritesPerSecond:F0}/s one row per transaction, {bare.WritesPerSecond:F0}/s batched narrow rows");
        Console.WriteLine($"paired slices, services / bare ledger rows: {string.Join(", ", pairs.Rounds.Select(r => $"{r.Portal.WritesPerSecond:F0}/{r.Bare.WritesPerSecond:F0}"))}; median ratio {pairs.MedianRatio:P1}");
        return (ingest, bareSingle, bare, pairs, bareHttp);
    }

    /// <summary>
    /// The ingest ratio, measured in pairs of short slices: the donations path at the most writers, then at once the
    /// bare ledger-row loop, over and over. This disk's fsync time drifts by a third within a minute (the bare loop
    /// alone read 39k to 76k rows/s in rounds of ten seconds a quarter of a minute apart): slices two seconds apart
    /// see the same disk, and the median of many pairs is not moved by one slow stretch. Each slice ends by
    /// checkpointing its own log inside its time, or the portal's background checkpoint would do its copying during
    /// the bare loop's slice.
    /// </summary>
    private static async Task<LedgerPairs> PairedLedgerRoundsAsync(BenchHost host, BenchWorld world, Options options)
    {
        var writers = options.Writers.Max();
        var portal = IngestBench.DonationWrite(host, world);
        await using var bare = await IngestBench.BareLedgerLoop.OpenAsync(host, world, rowsPerTransaction: writers);
        await IngestBench.WarmUpAsync(writers, portal);
        await IngestBench.WarmUpAsync(1, bare.WriteAsync);
        Console.WriteLine($"measuring ingest / bare ledger rows, {LedgerPairs.RoundCount} pairs of {LedgerPairs.SliceSeconds} s slices");
        var rounds = new List<(IngestResult Portal, IngestResult Bare)>();
        var checkpointer = host.Get<Portal.Data.SqliteCheckpointer>();
        for (var round = 0; round < LedgerPairs.RoundCount; round++)
            rounds.Add((await IngestBench.SliceAsync("donations, services", writers, LedgerPairs.SliceSeconds, portal, () => checkpointer.CheckpointAsync()),
                await IngestBench.SliceAsync(bare.Path, 1, LedgerPairs.SliceSeconds, bare.WriteAsync, bare.CheckpointAsync, bare.RowsPerTransaction)));
        return new LedgerPairs(rounds);
    }
}

/// <summary>Slices of (portal, bare ledger loop) measured back to back; the verdict is on the median of their ratios.</summary>
internal sealed record LedgerPairs(IReadOnlyList<(IngestResult Portal, IngestResult Bare)> Rounds)
{
    public const int RoundCount = 15;
    public const double SliceSeconds = 2;

    private IEnumerable<double> Ratios => Rounds.Select(r => r.Portal.WritesPerSecond / r.Bare.WritesPerSecond);

    public double MedianRatio => Stats.Median(Ratios);
    public double MedianBare => Stats.Median(Rounds.Select(r => r.Bare.WritesPerSecond));
    public (double Low, double High) RatioRange => (Ratios.Min(), Ratios.Max());
}

internal sealed record Options(int Clients, int Rate, double Seconds, int[] Writers, double IngestSeconds, int Votes, int Donations, int PageRequests,
    int Pages, int Circuits, string? ReportPath, string[]? Only)
{
    public static Options Parse(string[] args)
    {
        string? Get(string name) => args.SkipWhile(a => a != $"--{name}").Skip(1).FirstOrDefault();
        return new Options(
            int.Parse(Get("clients") ?? "2000"), int.Parse(Get("rate") ?? "500"), double.Parse(Get("seconds") ?? "30", CultureInfo.InvariantCulture),
            (Get("writers") ?? "16,64").Split(',').Select(int.Parse).ToArray(), double.Parse(Get("ingest-seconds") ?? "10", CultureInfo.InvariantCulture),
            int.Parse(Get("votes") ?? "400000"), int.Parse(Get("donations") ?? "200000"), int.Parse(Get("requests") ?? "3000"),
            int.Parse(Get("pages") ?? "20"), int.Parse(Get("circuits") ?? "100"),
            args.Contains("--no-report") ? null : Get("report") ?? FindRepoFile("docs/benchmarks.md"),
            Get("only")?.Split(','));
    }

    private static string FindRepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) return Path.Combine(dir.FullName, relative);
        return relative;
    }
}

internal static class Report
{
    public static string Write(Options o, LiveResult live, List<IngestResult> ingest, IngestResult bareSingle, IngestResult bare, LedgerPairs pairs, IngestResult bareHttp, PageResult page, BrowserResult browser)
    {
        var commit = Git("rev-parse --short HEAD");
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        var ratio = live.MedianRatio;
        var best = ingest.Max(r => r.WritesPerSecond);
        var s = new StringBuilder();
        s.AppendLine("# Benchmarks");
        s.AppendLine();
        s.AppendLine($"Run on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, commit `{commit}`, {Environment.ProcessorCount} cores, {memory:F0} GiB, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, Release, SQLite (WAL).");
        s.AppendLine($"Command: `dotnet run -c Release --project bench/Portal.Bench -- --clients {o.Clients} --rate {o.Rate} --seconds {o.Seconds}`.");
        s.AppendLine();
        s.AppendLine("| measure | figure | target | verdict |");
        s.AppendLine("|---|---|---|---|");
        s.AppendLine($"| vote-to-screen p50 / p95 / p99 ({live.Clients} hub clients, {live.WriteRate:F0} writes/s reached of {o.Rate}/s asked, {live.Rounds.Count} rounds of {live.Seconds:F0} s) | {live.P50:F1} / {live.P95:F1} / {live.P99:F1} ms | | |");
        s.AppendLine($"| bare SignalR broadcast p50 / p99, as many clients, same writes going on, a run after each live one | {live.BareP50:F1} / {live.BareP99:F1} ms | | |");
        var ratios = string.Join(", ", live.Rounds.Select(r => $"{r.P99:F0} / {r.BareP99:F0} ms"));
        s.AppendLine($"| p99 ratio live / bare, each live run then at once its bare run ({ratios}) | median {ratio:F2} ({string.Join(", ", live.Rounds.Select(r => r.Ratio.ToString("F2")))}) | <= 1.5 | {(ratio <= 1.5 ? "met" : $"missed by {ratio - 1.5:F2}")} |");
        s.AppendLine($"| last write of the burst, commit to receipt (median over clients) | {live.LastWriteMs:F0} ms | at most one interval (250 ms) + fan-out | |");
        s.AppendLine($"| convergence: every client ends on the database totals | {(live.Converged ? "yes" : "no")} | yes | {(live.Converged ? "met" : "missed")} |");
        s.AppendLine($"| lost increments | {live.LostIncrements} | 0 | {(live.LostIncrements == 0 ? "met" : "missed")} |");
        s.AppendLine($"| coalescing: writes/s vs snapshots/s per client | {live.WriteRate:F0} vs {live.SnapshotsPerSecondPerClient:F1} | snapshots at the configured rate (4/s) | {(live.SnapshotsPerSecondPerClient <= 4.5 ? "met" : "missed")} |");
        foreach (var r in ingest)
            s.AppendLine($"| ingest, {r.Path}, {r.Writers} writers | {r.WritesPerSecond:F0} writes/s, p99 {r.P99Ms:F1} ms, {r.Failures} failures | >= 2000/s | {(r.WritesPerSecond >= 2000 ? "met" : $"missed by {2000 - r.WritesPerSecond:F0}/s")} |");
        s.AppendLine($"| bare SQLite, one row per transaction, same durability | {bareSingle.WritesPerSecond:F0} writes/s | | |");
        s.AppendLine($"| bare SQLite, narrow rows (no index, no foreign key), {bare.Path.Split(", ")[1]}, same durability | {bare.WritesPerSecond:F0} writes/s | | |");
        s.AppendLine($"| bare SQLite, the ledger's own rows (same table, indexes, foreign keys, running totals), {pairs.Rounds[0].Bare.Path.Split(", ")[2]}, same durability, median of {LedgerPairs.RoundCount} slices | {pairs.MedianBare:F0} writes/s | | |");
        var (low, high) = pairs.RatioRange;
        s.AppendLine($"| ingest / bare ledger rows: donations through the services at {pairs.Rounds[0].Portal.Writers} writers, then at once the bare loop, {LedgerPairs.RoundCount} pairs of {LedgerPairs.SliceSeconds:F0} s slices (pairs from {low:P0} to {high:P0}) | median {pairs.MedianRatio:P1} | >= 50 % | {(pairs.MedianRatio >= 0.5 ? "met" : $"missed by {(0.5 - pairs.MedianRatio) * 100:F1} points")} |");
        s.AppendLine($"| best ingest / bare batched narrow rows | {best / bare.WritesPerSecond:P0} | | |");
        s.AppendLine($"| bare HTTP POST through the same pipeline (key, rate limiter), no database, {bareHttp.Writers} writers | {bareHttp.WritesPerSecond:F0} requests/s | | |");
        s.AppendLine($"| campaign page p95 at {page.Concurrency} concurrent, {page.Votes} votes, {page.Donations} entries | {page.P95Ms:F1} ms (p50 {page.P50Ms:F1}) | <= 100 ms | {(page.P95Ms <= 100 ? "met" : $"missed by {page.P95Ms - 100:F0} ms")} |");
        s.AppendLine($"| SQL queries per page render | {page.QueriesPerRender} | <= 3 | {(page.QueriesPerRender <= 3 ? "met" : "missed")} |");
        s.AppendLine($"| browser vote-to-screen, {browser.Pages} Chromium pages, 50 writes/s for {browser.Seconds:F0} s, commit to DOM (MutationObserver), {browser.Samples} samples | p50 {browser.P50:F0} ms, p99 {browser.P99:F0} ms | p99 <= 250 ms | {(browser.P99 <= 250 ? "met" : $"missed by {browser.P99 - 250:F0} ms")} |");
        s.AppendLine($"| browser, last write of the burst, commit to DOM (median over pages) | {browser.LastWriteMs:F0} ms | | |");
        s.AppendLine($"| server working-set growth per idle dashboard circuit ({browser.Circuits} Chromium pages on a campaign with ten places, three projects with votes and a full feed, the vote chart closed; net of the client's managed objects for as many pages without a circuit, median of {BrowserBench.MemoryRounds} rounds) | {browser.WorkingSetKilobytesPerCircuit:F1} KB | <= 150 KB | {(browser.WorkingSetKilobytesPerCircuit <= 150 ? "met" : $"missed by {browser.WorkingSetKilobytesPerCircuit - 150:F1} KB")} |");
        s.AppendLine($"| of which the managed heap (live objects after a full collection) | {browser.KilobytesPerCircuit:F0} KB | | |");
        s.AppendLine();
        s.AppendLine("The injector writes one entry at a time through the real write path, so that the k-th commit is version k;");
        s.AppendLine("when the asked rate is above what one sequential writer reaches, the reached rate is the one reported.");
        s.AppendLine("Every part runs a few unmeasured seconds first: the figures are the steady state, not the JIT compiling the path.");
        s.AppendLine("Each bare broadcast runs right after a live run, to the same connections (which have left the campaign), while the");
        s.AppendLine("injector keeps writing at the same rate: the ratio compares the live path with SignalR alone on a machine doing the");
        s.AppendLine("same work. The 2,000 receipts of one snapshot are 0.8 % of a run's, so a p99 is decided by a run's two slowest");
        s.AppendLine("fan-outs: the pair is measured in rounds and judged on the median ratio. Snapshots go out at");
        s.AppendLine("most 4 times a second, so the last write of a burst waits up to 250 ms for its tick: it is reported on its own line.");
        s.AppendLine("The bare batched SQLite loops commit as many rows per transaction as the most writers measured, with one");
        s.AppendLine("prepared statement and nothing else. The ratio is taken against the loop that writes the ledger's own rows (a");
        s.AppendLine("copy of the portal's database: the same entry, table, indexes, foreign keys and running totals), which is what");
        s.AppendLine("SQLite alone costs for these writes, in alternating two-second slices, portal then bare: this disk's fsync time");
        s.AppendLine("drifts by a third within a minute. The narrow-row loop, the ceiling of this disk, is reported beside it. The group commit's");
        s.AppendLine("remaining price is validation, permissions, domain rules, idempotency records and the live feed.");
        s.AppendLine("The vote chart (a MudChart) is drawn when a visitor opens it, and at once on the kiosk: open, it adds about 45 KB");
        s.AppendLine("per circuit (a heap dump of 100 dashboards: its components, their render trees, its size observer's interop).");
        return s.ToString();
    }

    private static string Git(string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return output.Length > 0 ? output : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
