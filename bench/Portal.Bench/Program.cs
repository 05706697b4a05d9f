using System.Diagnostics;
using System.Globalization;
using System.Text;

// The benchmark harness: starts the portal in-process on Kestrel (127.0.0.1), over a fresh SQLite file and then over a
// fresh database on a throw-away PostgreSQL cluster, measures, prints a table and writes docs/benchmarks.md with both
// engines side by side. Options: --engines Sqlite,Postgres --clients 2000 --rate 500 --seconds 30 --writers 16,64
// --votes 400000 --donations 200000 --report docs/benchmarks.md; --only live,ingest,page,browser,bare runs some parts and
// only prints them; --cluster runs the several-nodes part (deploy/cluster.sh) and writes its section of the report.
namespace Portal.Bench;

public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["--hub-worker", ..]) return await ClusterBench.HubWorkerAsync(args[1..]);
        var options = Options.Parse(args);
        if (options.Cluster)
        {
            // The cluster's figures are a section of their own in the report, written without re-running the rest.
            var cluster = await ClusterBench.RunAsync(options);
            var section = ClusterReport.Write(options, cluster);
            Console.WriteLine(section);
            if (options.ReportPath is not null) await File.WriteAllTextAsync(options.ReportPath, ClusterReport.Replace(File.Exists(options.ReportPath) ? await File.ReadAllTextAsync(options.ReportPath) : "", section));
            return 0;
        }
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        Console.WriteLine($"Solidons bench on {string.Join(" and ", options.Engines)}: {options.Clients} clients, {options.Rate} writes/s for {options.Seconds} s, writers {string.Join('/', options.Writers)}, page with {options.Votes} votes and {options.Donations} entries");

        var runs = new List<EngineRun>();
        BareHttp? bare = null;
        BrowserResult? browser = null;
        foreach (var engine in options.Engines)
        {
            await using var host = await BenchHost.StartAsync(engine: engine);
            if (options.Only is { } only)
            {
                // A partial run, to work on one figure: printed, never written to the report.
                if (only.Contains("live")) Console.WriteLine(await LiveBench.RunAsync(host, options.Clients, options.Rate, options.Seconds));
                if (only.Contains("ingest")) await IngestAsync(host, options);
                if (only.Contains("page")) Console.WriteLine(await PageBench.RunAsync(host, options.Votes, options.Donations, concurrency: 50, requests: options.PageRequests));
                if (only.Contains("browser")) Console.WriteLine(await BrowserBench.RunAsync(host, options.Pages, rate: 50, options.Seconds, options.Circuits));
                if (only.Contains("bare")) Console.WriteLine(string.Join(", ", (await CeilingsAsync(host, options)).Select(c => $"{c.Path}: {c.WritesPerSecond:F0}/s")));
                continue;
            }
            var live = await LiveBench.RunAsync(host, options.Clients, options.Rate, options.Seconds);
            Console.WriteLine($"{engine} live: p50 {live.P50:F1} ms, p99 {live.P99:F1} ms (bare p99 {live.BareP99:F1} ms), round ratios {string.Join(", ", live.Rounds.Select(r => r.Ratio.ToString("F2")))}, converged {live.Converged}, lost {live.LostIncrements}");
            var ingest = await IngestAsync(host, options);
            var page = await PageBench.RunAsync(host, options.Votes, options.Donations, concurrency: 50, requests: options.PageRequests);
            Console.WriteLine($"{engine} page: p95 {page.P95Ms:F1} ms, {page.QueriesPerRender} queries per render");
            // The engine's own ceilings on this disk, beside what the portal reaches through it.
            var ceilings = await CeilingsAsync(host, options);
            Console.WriteLine($"{engine} bare: {ceilings[0].WritesPerSecond:F0}/s one row per transaction, {ceilings[1].WritesPerSecond:F0}/s batched");
            runs.Add(new EngineRun(engine, live, ingest, page, ceilings[0], ceilings[1]));
            if (engine != BenchEngine.Sqlite) continue;
            // What does not depend on the engine, measured once: the disk's and HTTP's ceilings, the browsers.
            bare = new BareHttp(await IngestBench.ApiAsync(host, await host.SeedAsync(voters: 0), options.Writers.Max(), options.IngestSeconds, bare: true));
            Console.WriteLine($"bare HTTP x{bare.Http.Writers}: {bare.Http.WritesPerSecond:F0}/s");
            // As long as the hub run: the last write of the burst (which waits a tick) weighs as much in both p99s.
            browser = await BrowserBench.RunAsync(host, options.Pages, rate: 50, options.Seconds, options.Circuits);
            Console.WriteLine($"browser: p50 {browser.P50:F0} ms, p99 {browser.P99:F0} ms over {browser.Samples} samples; {browser.KilobytesPerCircuit:F0} KB per idle circuit (working set {browser.WorkingSetKilobytesPerCircuit:F0} KB)");
        }
        if (options.Only is not null) return 0;

        var report = Report.Write(options, runs, bare, browser);
        if (options.ReportPath is not null && File.Exists(options.ReportPath) && ClusterReport.Find(await File.ReadAllTextAsync(options.ReportPath)) is { } kept)
            report = ClusterReport.Replace(report, kept);
        Console.WriteLine(report);
        if (options.ReportPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.ReportPath))!);
            await File.WriteAllTextAsync(options.ReportPath, report);
            Console.WriteLine($"written to {options.ReportPath}");
        }
        return runs.All(r => r.Live.Converged && r.Live.LostIncrements == 0) ? 0 : 2;
    }

    /// <summary>The engine alone on this disk: one row per transaction, then as many as the most writers.</summary>
    private static async Task<IngestResult[]> CeilingsAsync(BenchHost host, Options options)
    {
        var connection = host.Get<Portal.Data.DatabaseSettings>().ConnectionString;
        return host.Engine == BenchEngine.Postgres
            ? [await IngestBench.BarePostgresAsync(connection, options.IngestSeconds, 1), await IngestBench.BarePostgresAsync(connection, options.IngestSeconds, options.Writers.Max())]
            : [await IngestBench.BareSqliteAsync(host.Folder, options.IngestSeconds, 1), await IngestBench.BareSqliteAsync(host.Folder, options.IngestSeconds, options.Writers.Max())];
    }

    private static async Task<List<IngestResult>> IngestAsync(BenchHost host, Options options)
    {
        var world = await host.SeedAsync(voters: 2_000);
        var ingest = new List<IngestResult>();
        foreach (var writers in options.Writers)
        {
            ingest.Add(await IngestBench.ServicesAsync(host, world, writers, options.IngestSeconds));
            ingest.Add(await IngestBench.ApiAsync(host, world, writers, options.IngestSeconds));
            ingest.Add(await IngestBench.VotesAsync(host, world, writers, options.IngestSeconds));
        }
        foreach (var r in ingest) Console.WriteLine($"{host.Engine} ingest {r.Path} x{r.Writers}: {r.WritesPerSecond:F0}/s, p99 {r.P99Ms:F1} ms, failures {r.Failures}");
        return ingest;
    }
}

/// <summary>One engine's figures; <see cref="BareSingle"/> and <see cref="BareBatched"/> are the engine alone on this disk.</summary>
internal sealed record EngineRun(BenchEngine Engine, LiveResult Live, List<IngestResult> Ingest, PageResult Page, IngestResult BareSingle, IngestResult BareBatched);

/// <summary>The HTTP ceiling, measured once: a bare POST through the same pipeline, no database.</summary>
internal sealed record BareHttp(IngestResult Http);

public sealed record Options(int Clients, int Rate, double Seconds, int[] Writers, double IngestSeconds, int Votes, int Donations, int PageRequests,
    int Pages, int Circuits, string? ReportPath, string[]? Only, BenchEngine[] Engines,
    bool Cluster, int ClusterRate, int ScaleClients, double[] ScaleRates, double ScaleSeconds)
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
            Get("only")?.Split(','),
            [.. (Get("engines") ?? "Sqlite,Postgres").Split(',').Select(e => Enum.Parse<BenchEngine>(e, ignoreCase: true))],
            args.Contains("--cluster"), int.Parse(Get("cluster-rate") ?? "100"),
            // A process here may open at most 20,000 files (a hard limit that root cannot raise): the node keeps ~250.
            int.Parse(Get("scale-clients") ?? "19500"),
            [.. (Get("scale-rates") ?? "0.2,1").Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture))],
            double.Parse(Get("scale-seconds") ?? "150", CultureInfo.InvariantCulture));
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run the bench from inside the repository: Portal.sln was not found above the working folder.");
    }

    private static string FindRepoFile(string relative) => Path.Combine(RepositoryRoot(), relative);
}

internal static class Report
{
    public static string Write(Options o, List<EngineRun> runs, BareHttp? bare, BrowserResult? browser)
    {
        var commit = Git("rev-parse --short HEAD");
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        var s = new StringBuilder();
        s.AppendLine("# Benchmarks");
        s.AppendLine();
        s.AppendLine($"Run on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, commit `{commit}`, {Environment.ProcessorCount} cores, {memory:F0} GiB, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, Release;");
        s.AppendLine("SQLite in WAL on a file; PostgreSQL 15 (Debian's) on a throw-away cluster on loopback, default settings, Npgsql's retrying execution strategy.");
        s.AppendLine($"Command: `dotnet run -c Release --project bench/Portal.Bench -- --clients {o.Clients} --rate {o.Rate} --seconds {o.Seconds}` (both engines, one after the other).");
        s.AppendLine();
        s.AppendLine($"| measure | {string.Join(" | ", runs.Select(r => Name(r.Engine)))} | target | verdict |");
        s.AppendLine($"|---|{string.Concat(runs.Select(_ => "---|"))}---|---|");
        void Row(string measure, Func<EngineRun, string> figure, string target = "", Func<EngineRun, double>? value = null, double limit = 0, bool atMost = true, string unit = "")
        {
            var verdict = "";
            if (value is not null)
            {
                var misses = runs.Where(r => atMost ? value(r) > limit : value(r) < limit)
                    .Select(r => $"missed on {Name(r.Engine)} by {Math.Abs(value(r) - limit):0.##}{unit}").ToList();
                verdict = misses.Count == 0 ? "met" : string.Join("; ", misses);
            }
            s.AppendLine($"| {measure} | {string.Join(" | ", runs.Select(figure))} | {target} | {verdict} |");
        }
        var live0 = runs[0].Live;
        Row($"vote-to-screen p50 / p95 / p99 ({live0.Clients} hub clients, {o.Rate}/s asked, {live0.Rounds.Count} rounds of {live0.Seconds:F0} s; writes/s reached)",
            r => $"{r.Live.P50:F1} / {r.Live.P95:F1} / {r.Live.P99:F1} ms ({r.Live.WriteRate:F0}/s)");
        Row("bare SignalR broadcast p50 / p99, as many clients, same writes going on, a run after each live one", r => $"{r.Live.BareP50:F1} / {r.Live.BareP99:F1} ms");
        Row("p99 ratio live / bare, each live run then at once its bare run (median of the rounds)",
            r => $"{r.Live.MedianRatio:F2} ({string.Join(", ", r.Live.Rounds.Select(x => x.Ratio.ToString("F2")))})", "<= 1.5", r => r.Live.MedianRatio, 1.5);
        Row("last write of the burst, commit to receipt (median over clients)", r => $"{r.Live.LastWriteMs:F0} ms", "at most one interval (250 ms) + fan-out");
        Row("convergence: every client ends on the database totals", r => r.Live.Converged ? "yes" : "no", "yes", r => r.Live.Converged ? 1 : 0, 1, atMost: false);
        Row("lost increments", r => $"{r.Live.LostIncrements}", "0", r => r.Live.LostIncrements, 0);
        Row("coalescing: snapshots/s per client", r => $"{r.Live.SnapshotsPerSecondPerClient:F1}", "the configured rate (4/s)", r => r.Live.SnapshotsPerSecondPerClient, 4.5);
        foreach (var (path, writers) in runs[0].Ingest.Select(i => (i.Path, i.Writers)))
        {
            IngestResult Of(EngineRun r) => r.Ingest.Single(i => i.Path == path && i.Writers == writers);
            var measure = $"ingest, {path}, {writers} writers: writes/s, p99 commit latency";
            string Figure(EngineRun r) => $"{Of(r).WritesPerSecond:F0}/s, p99 {Of(r).P99Ms:F1} ms, {Of(r).Failures} failures";
            if (path.StartsWith("donations, HTTP") && writers == o.Writers.Max())
            {
                Row(measure, Figure, ">= 2000/s", r => Of(r).WritesPerSecond, 2000, atMost: false, unit: "/s");
                Row($"ingest, {path}, {writers} writers: p99 commit latency", r => $"{Of(r).P99Ms:F1} ms", "<= 50 ms", r => Of(r).P99Ms, 50, unit: " ms");
            }
            else if (path.StartsWith("donations, services") && writers == o.Writers.Min())
                Row($"quick entry ({path}), {writers} writers: writes/s, p99 commit latency", Figure, "p99 <= 25 ms", r => Of(r).P99Ms, 25, unit: " ms");
            else Row(measure, Figure);
        }
        var page0 = runs[0].Page;
        Row($"campaign page p95 (p50) at {page0.Concurrency} concurrent, {page0.Votes} votes, {page0.Donations} entries", r => $"{r.Page.P95Ms:F1} ms ({r.Page.P50Ms:F1})", "<= 100 ms", r => r.Page.P95Ms, 100, unit: " ms");
        Row("SQL queries per page render", r => $"{r.Page.QueriesPerRender}", "<= 3", r => r.Page.QueriesPerRender, 3);
        Row("the engine alone on this disk: one writer, one row and a running total per transaction, nothing else", r => $"{r.BareSingle.WritesPerSecond:F0} writes/s");
        Row($"the engine alone, {o.Writers.Max()} rows per transaction", r => $"{r.BareBatched.WritesPerSecond:F0} writes/s");
        s.AppendLine();
        if (bare is not null)
        {
            s.AppendLine("Measured once, on the SQLite run:");
            s.AppendLine();
            s.AppendLine("| measure | figure | target | verdict |");
            s.AppendLine("|---|---|---|---|");
            s.AppendLine($"| bare HTTP POST through the same pipeline (key, rate limiter), no database, {bare.Http.Writers} writers | {bare.Http.WritesPerSecond:F0} requests/s | | |");
            if (browser is not null)
            {
                s.AppendLine($"| browser vote-to-screen, {browser.Pages} Chromium pages, 50 writes/s for {browser.Seconds:F0} s, commit to DOM (MutationObserver), {browser.Samples} samples | p50 {browser.P50:F0} ms, p99 {browser.P99:F0} ms | p99 <= 250 ms | {(browser.P99 <= 250 ? "met" : $"missed by {browser.P99 - 250:F0} ms")} |");
                s.AppendLine($"| browser, last write of the burst, commit to DOM (median over pages) | {browser.LastWriteMs:F0} ms | | |");
                s.AppendLine($"| server working-set growth per idle dashboard circuit ({browser.Circuits} Chromium pages on a campaign with ten places, three projects with votes and a full feed, the vote chart closed; net of the client's managed objects for as many pages without a circuit, median of {BrowserBench.MemoryRounds} rounds) | {browser.WorkingSetKilobytesPerCircuit:F1} KB | <= 150 KB | {(browser.WorkingSetKilobytesPerCircuit <= 150 ? "met" : $"missed by {browser.WorkingSetKilobytesPerCircuit - 150:F1} KB")} |");
                s.AppendLine($"| of which the managed heap (live objects after a full collection) | {browser.KilobytesPerCircuit:F0} KB | | |");
            }
            s.AppendLine();
        }
        s.AppendLine("Every write goes through the one write path (the domain decides, `CampaignWriter` applies, inside the execution");
        s.AppendLine("strategy), the same code on both engines. The injector of the live runs writes one entry at a time, so that the");
        s.AppendLine("k-th commit is version k; when the asked rate is above what one sequential writer reaches, the reached rate is the");
        s.AppendLine("one reported. Every part runs a few unmeasured seconds first: the figures are the steady state, not the JIT compiling");
        s.AppendLine("the path. Each bare broadcast runs right after a live run, to the same connections (which have left the campaign),");
        s.AppendLine("while the injector keeps writing at the same rate: the ratio compares the live path with SignalR alone on a machine");
        s.AppendLine("doing the same work. The 2,000 receipts of one snapshot are 0.8 % of a run's, so a p99 is decided by a run's two");
        s.AppendLine("slowest fan-outs: the pair is measured in rounds and judged on the median ratio. Snapshots go out at most 4 times a");
        s.AppendLine("second, so the last write of a burst waits up to 250 ms for its tick: it is reported on its own line. Ingest latency");
        s.AppendLine("is the caller's, from the call (or the HTTP request) to its acknowledgement after commit. The PostgreSQL server");
        s.AppendLine("shares the two cores with the portal and the load generator, and runs with fsync on (its default). The 50 %");
        s.AppendLine("ratio to a bare SQLite loop of earlier reports is retired: it was met only with SQL that one engine runs.");
        s.AppendLine("The vote chart (a MudChart) is drawn when a visitor opens it, and at once on the kiosk: open, it adds about 45 KB");
        s.AppendLine("per circuit (a heap dump of 100 dashboards: its components, their render trees, its size observer's interop).");
        return s.ToString();
    }

    private static string Name(BenchEngine engine) => engine == BenchEngine.Postgres ? "PostgreSQL" : "SQLite";

    internal static string Git(string arguments)
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
