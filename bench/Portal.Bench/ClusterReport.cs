using System.Text;

namespace Portal.Bench;

/// <summary>The several-nodes section of docs/benchmarks.md, between markers, so that each run replaces only its own part.</summary>
internal static class ClusterReport
{
    private const string Begin = "<!-- cluster: written by --cluster -->", End = "<!-- /cluster -->";

    public static string Write(Options o, ClusterResult r)
    {
        var s = new StringBuilder();
        s.AppendLine(Begin);
        s.AppendLine("## Several nodes");
        s.AppendLine();
        s.AppendLine($"Run on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, commit `{Report.Git("rev-parse --short HEAD")}`, on `deploy/cluster.sh`'s cluster on this machine: PostgreSQL 15,");
        s.AppendLine("redis-server, two Portal.Web nodes (Release, Production) and nginx (TLS), every process on the same two cores.");
        s.AppendLine($"Command: `dotnet run -c Release --project bench/Portal.Bench -- --cluster --clients {o.Clients} --seconds {o.Seconds}`.");
        s.AppendLine();
        s.AppendLine("| measure | figure | target | verdict |");
        s.AppendLine("|---|---|---|---|");
        var live = r.Live;
        s.AppendLine($"| write-to-screen p99, {live.Clients} hub clients and the writes through nginx with node b out of the pool: one node ({live.Rounds.Count} rounds of {o.Seconds:F0} s, {o.ClusterRate}/s asked, {live.WriteRate:F0}/s reached) | {live.SingleP99:F1} ms | | |");
        s.AppendLine($"| the same with both nodes in the pool: the clients spread by their 64 loopback addresses ({live.Split}), the writes by request, snapshots crossing Redis | {live.SpreadP99:F1} ms | | |");
        s.AppendLine($"| p99 ratio both nodes / one node (median of the rounds) | {live.MedianRatio:F2} ({string.Join(", ", live.Rounds.Select(x => x.Ratio.ToString("F2")))}) | <= 1.5 | {Verdict(live.MedianRatio <= 1.5, $"missed by {live.MedianRatio - 1.5:F2}")} |");
        var ingest = r.Ingest;
        s.AppendLine($"| till API ingest through nginx over both nodes, Idempotency-Key, {ingest.Writers} writers | {ingest.WritesPerSecond:F0}/s, p99 {ingest.P99Ms:F1} ms, {ingest.Failures} failures | >= 2000/s | {Verdict(ingest.WritesPerSecond >= 2000, $"missed by {2000 - ingest.WritesPerSecond:F0}/s")} |");
        var scale = r.Scale;
        s.AppendLine($"| idle hub clients joined to one campaign on node A, from {scale.Addresses} loopback addresses | {scale.Clients} | 20000 | {Verdict(scale.Clients >= 20_000, "see below")} |");
        s.AppendLine($"| node A's resident memory before the clients, once joined | {Mb(scale.BeforeBytes)} / {Mb(scale.IdleBytes)} MB | | |");
        s.AppendLine($"| memory per connection, idle | {scale.IdleKilobytesPerClient:F1} KB | <= 30 KB | {Verdict(scale.IdleKilobytesPerClient <= 30, $"missed by {scale.IdleKilobytesPerClient - 30:F1} KB")} |");
        foreach (var phase in scale.Phases)
        {
            var during = $"during {phase.Seconds:F0} s of {phase.Rate:0.##} push/s to every client ({phase.Rate * scale.Clients:F0} messages/s)";
            s.AppendLine($"| node A's resident memory {during}: steady (median of the last fifth) / peak | {Mb(phase.SteadyBytes)} / {Mb(phase.PeakBytes)} MB | | |");
            s.AppendLine($"| memory per connection {during}, steady | {scale.PerClient(phase.SteadyBytes):F1} KB | <= 30 KB | {Verdict(scale.PerClient(phase.SteadyBytes) <= 30, $"missed by {scale.PerClient(phase.SteadyBytes) - 30:F1} KB")} |");
            s.AppendLine($"| memory per connection {during}, peak | {scale.PerClient(phase.PeakBytes):F1} KB | <= 30 KB | {Verdict(scale.PerClient(phase.PeakBytes) <= 30, $"missed by {scale.PerClient(phase.PeakBytes) - 30:F1} KB")} |");
            s.AppendLine($"| cores used {during}: node A / the four client processes | {phase.NodeCores:F2} / {phase.ClientCores:F2} (of 2) | | |");
            s.AppendLine($"| pushes delivered within 1 s of the till's request {during} (p99; never delivered: {phase.Missing}) | {phase.WithinOneSecond:P2} (p99 {phase.P99Ms:F0} ms) | >= 99 % | {Verdict(phase.WithinOneSecond >= 0.99, $"missed by {(0.99 - phase.WithinOneSecond) * 100:F2} points")} |");
        }
        s.AppendLine();
        s.AppendLine("Writes are till entries through the till API (a vote is cast through a Blazor circuit, which a load generator");
        s.AppendLine("does not drive); a latency runs from the till's request to the hub client's receipt of the version it made, so it");
        s.AppendLine("counts the write, the pump's coalescing tick and the fan-out. One node's run (node b stopped, so nginx sends");
        s.AppendLine("everything to node a) and the two nodes' run alternate under the same sequential writer, the clients connected");
        s.AppendLine("afresh for each; both go through nginx's TLS and the nodes' Redis relay. Hub clients open their WebSocket");
        s.AppendLine("without a negotiation, as display screens do, each bound to a loopback address of its own: nginx balances the hub");
        s.AppendLine("by the client's address. The idle clients are held by four worker processes, and number fewer than 20,000:");
        s.AppendLine("every process here may open at most 20,000 files, a hard limit of this machine that root cannot raise");
        s.AppendLine("(`ulimit -Hn`), and the node needs about 250 of them besides its sockets.");
        s.AppendLine(End);
        return s.ToString();
    }

    public static string? Find(string report)
    {
        var (from, to) = (report.IndexOf(Begin, StringComparison.Ordinal), report.IndexOf(End, StringComparison.Ordinal));
        return from < 0 || to < from ? null : report[from..(to + End.Length)] + Environment.NewLine;
    }

    public static string Replace(string report, string section) =>
        Find(report) is { } old ? report.Replace(old, section) : report.TrimEnd() + Environment.NewLine + Environment.NewLine + section;

    private static string Verdict(bool met, string missed) => met ? "met" : missed;
    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024:F0}";
}
