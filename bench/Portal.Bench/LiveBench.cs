using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Live;
using Portal.Web.Features.Votes;

namespace Portal.Bench;

public sealed record LiveResult(int Clients, double WriteRate, double Seconds, int Writes, double SnapshotsPerSecondPerClient,
    double P50, double P95, double P99, double BareP50, double BareP99, IReadOnlyList<LiveRound> Rounds, bool Converged, long LostIncrements, double LastWriteMs)
{
    /// <summary>The verdict's figure: the median over rounds of each round's live p99 over its bare p99.</summary>
    public double MedianRatio => Stats.Median(Rounds.Select(r => r.Ratio));
}

/// <summary>One live run followed at once by one bare run, both as long and under the same writes.</summary>
public sealed record LiveRound(double P99, double BareP99)
{
    public double Ratio => P99 / BareP99;
}

/// <summary>
/// Vote-to-screen: K hub clients on one campaign, one injector writing at R/s through the real write path; the latency
/// of a snapshot is its receipt time minus the commit time of the newest write it contains. The bare baseline
/// broadcasts a payload of the same size at the same snapshot rate to the same clients (same connections, which have
/// left the campaign) while the injector goes on writing at the same rate: both p99s are taken on a machine doing the
/// same work, so their ratio is the live path's own cost (coalescing wait, snapshot read), not the writes' CPU.
/// The pair is measured in rounds, judged on the median ratio: the 2,000 receipts of one snapshot are 0.8 % of a
/// 30-second run's, so a p99 is decided by its two slowest fan-outs, and one collection or disk stall that falls on
/// one of them moved a single run's ratio between 0.7 and 2.2 with the same code (measured).
/// </summary>
public static class LiveBench
{
    public const int DefaultRounds = 3;

    public static async Task<LiveResult> RunAsync(BenchHost host, int clients, int rate, double seconds, int rounds = DefaultRounds, int snapshotsPerSecond = 4)
    {
        var warmUp = Math.Min(10, seconds);
        // Half the writes are votes, one per voter: enough voters for the warm-up and every live and bare run.
        var world = await host.SeedAsync(voters: (int)(rate * (warmUp + rounds * (2 * seconds + 3)) / 2) + 10);
        var received = new ConcurrentBag<(long Version, long At)>();
        var takenAt = new ConcurrentDictionary<long, DateTimeOffset>();
        var diagnose = Stats.Diagnose;
        // A client keeps what the convergence check needs, not the snapshot: holding 2,000 of them alive would make
        // the collector's work, and so the latencies, heavier here than in the bare run, whose clients keep nothing.
        var latest = new long[clients];
        var lastCollected = new long[clients];
        var gates = Enumerable.Range(0, clients).Select(_ => new Lock()).ToArray();
        void Keep(int index, CampaignSnapshot snapshot)
        {
            lock (gates[index]) if (snapshot.Version >= latest[index]) { latest[index] = snapshot.Version; lastCollected[index] = snapshot.CollectedCents; }
        }
        var connections = new List<HubConnection>();
        for (var i = 0; i < clients; i++)
        {
            var index = i;
            var connection = new HubConnectionBuilder().WithUrl(new Uri(host.BaseAddress, "hubs/campaigns")).Build();
            connection.On<CampaignSnapshot>("Snapshot", s =>
            {
                received.Add((s.Version, Stopwatch.GetTimestamp()));
                if (diagnose) takenAt.TryAdd(s.Version, s.TakenAt);
                Keep(index, s);
            });
            await connection.StartAsync();
            connections.Add(connection);
        }
        async Task JoinAllAsync()
        {
            for (var i = 0; i < clients; i++) Keep(i, await connections[i].InvokeAsync<CampaignSnapshot>("Join", world.CampaignId));
        }
        await JoinAllAsync();

        // One sequential injector: commit order is completion order, so the k-th write makes version base + k.
        var ledger = host.Get<DonationLedger>();
        var votes = host.Get<VoteService>();
        var written = 0;
        async Task<(int Writes, double Seconds)> InjectAsync(double forSeconds, Action<int>? committed)
        {
            var interval = TimeSpan.FromSeconds(1.0 / rate);
            var clock = Stopwatch.StartNew();
            var writes = 0;
            while (clock.Elapsed.TotalSeconds < forSeconds)
            {
                var due = interval * writes;
                if (clock.Elapsed < due) await Task.Delay(due - clock.Elapsed);
                var n = written++;
                if (n % 2 == 0 || n / 2 >= world.Voters.Count)
                    await ledger.LogAsync(world.Merchant, new LogDonation { CampaignId = world.CampaignId, EstablishmentId = n % 4 == 0 ? world.EstablishmentA : world.EstablishmentB, Amount = 1.5m, Solidons = 1 });
                else
                    await votes.CastAsync(world.Voters[n / 2], new CastVote(world.CampaignId, n % 3 == 0 ? world.ProjectA : world.ProjectB, null));
                writes++;
                committed?.Invoke(writes);
            }
            return (writes, clock.Elapsed.TotalSeconds);
        }

        // A few seconds unmeasured first, so that the figures are the steady state and not the JIT compiling the path.
        // The measured runs follow without a pause, so that the machine does not settle into idleness in between.
        await InjectAsync(warmUp, null);
        var liveLatencies = new List<double>();
        var bareLatencies = new List<double>();
        var results = new List<LiveRound>();
        var lastWrites = new List<double>();
        var (totalWrites, totalSeconds, snapshotsReceived, converged, lost) = (0, 0.0, 0L, true, 0L);
        for (var round = 0; round < rounds; round++)
        {
            if (round > 0) await JoinAllAsync();
            received.Clear();
            long baseSequence;
            await using (var db = host.Db())
                baseSequence = await db.Campaigns.Where(c => c.Id == world.CampaignId).Select(c => c.Sequence).SingleAsync();

            var pausedBefore = GC.GetTotalPauseDuration();
            var gen2Before = GC.CollectionCount(2);
            var gen0Before = GC.CollectionCount(0);
            var commits = new ConcurrentDictionary<long, long>();
            var commitWallClock = new ConcurrentDictionary<long, DateTimeOffset>();
            var (writes, elapsed) = await InjectAsync(seconds, k =>
            {
                commits[baseSequence + k] = Stopwatch.GetTimestamp();
                commitWallClock[baseSequence + k] = DateTimeOffset.UtcNow;
            });

            if (diagnose)
                Console.WriteLine($"DIAG live round {round + 1} GC: paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds:F0} ms, gen0 {GC.CollectionCount(0) - gen0Before}, gen2 {GC.CollectionCount(2) - gen2Before}");
            // Convergence: every client ends on the database's version and totals.
            var finalVersion = baseSequence + writes;
            var deadline = Stopwatch.StartNew();
            while (latest.Any(v => v < finalVersion) && deadline.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
            long collected;
            await using (var db = host.Db())
                collected = await db.Campaigns.Where(c => c.Id == world.CampaignId).Select(c => c.CollectedCents).SingleAsync();
            converged &= latest.All(v => v == finalVersion) && lastCollected.All(c => c == collected);
            lost += lastCollected.Sum(c => Math.Abs(collected - c) / 150);

            var latencies = received.Where(r => commits.ContainsKey(r.Version)).Select(r => Stats.Ms(r.At - commits[r.Version])).ToList();
            if (diagnose)
                foreach (var g in received.Where(r => commits.ContainsKey(r.Version)).GroupBy(r => r.Version)
                             .Select(g => (g.Key, Min: g.Min(r => Stats.Ms(r.At - commits[g.Key])), Max: g.Max(r => Stats.Ms(r.At - commits[g.Key])), N: g.Count()))
                             .OrderByDescending(g => g.Max).Take(4))
                    Console.WriteLine($"DIAG version {g.Key}: read {(takenAt[g.Key] - commitWallClock[g.Key]).TotalMilliseconds:F0} ms after its commit, first receipt {g.Min:F0} ms, last {g.Max:F0} ms, {g.N} receipts");
            // The end of the burst: the last write waits for the pump's next tick (at most one interval) before going out.
            lastWrites.Add(Stats.Percentile(received.Where(r => r.Version == finalVersion).Select(r => Stats.Ms(r.At - commits[finalVersion])).ToList(), 50));
            snapshotsReceived += received.Count(r => r.Version > baseSequence);
            (totalWrites, totalSeconds) = (totalWrites + writes, totalSeconds + elapsed);
            foreach (var connection in connections) await connection.InvokeAsync("Leave", world.CampaignId);

            // As long as the live run, so that both p99s rest on as many broadcasts, and under the same writes.
            var load = InjectAsync(seconds + 3, null);
            var payload = await host.Get<CampaignFeed>().CurrentAsync(world.CampaignId);
            var bare = await BareBroadcastAsync(host, connections, snapshotsPerSecond, seconds, payload);
            await load;

            results.Add(new LiveRound(Stats.Percentile(latencies, 99), Stats.Percentile(bare, 99)));
            liveLatencies.AddRange(latencies);
            bareLatencies.AddRange(bare);
            if (diagnose) Console.WriteLine($"DIAG live round {round + 1}: p99 {results[^1].P99:F0} ms, bare p99 {results[^1].BareP99:F0} ms, ratio {results[^1].Ratio:F2}");
        }
        foreach (var connection in connections) await connection.DisposeAsync();

        return new LiveResult(clients, totalWrites / totalSeconds, seconds, totalWrites, snapshotsReceived / (double)clients / totalSeconds,
            Stats.Percentile(liveLatencies, 50), Stats.Percentile(liveLatencies, 95), Stats.Percentile(liveLatencies, 99),
            Stats.Percentile(bareLatencies, 50), Stats.Percentile(bareLatencies, 99), results, converged, lost, Stats.Median(lastWrites));
    }

    private static async Task<List<double>> BareBroadcastAsync(BenchHost host, List<HubConnection> connections, int perSecond, double seconds, CampaignSnapshot? payload)
    {
        var latencies = new ConcurrentBag<double>();
        var handlers = connections.Select(c => c.On<long, CampaignSnapshot?>("Tick", (sentAt, _) => { if (sentAt > 0) latencies.Add(Stats.Ms(Stopwatch.GetTimestamp() - sentAt)); })).ToList();
        // The hub's untyped context: a plain broadcast to every connection, no group, no snapshot to build.
        var hub = host.Get<IHubContext<CampaignHub>>();
        // Two unmeasured seconds first (ticks stamped 0), as the live path had its warm-up.
        for (var tick = 0; tick < 2 * perSecond; tick++)
        {
            await hub.Clients.All.SendAsync("Tick", 0L, payload);
            await Task.Delay(TimeSpan.FromSeconds(1.0 / perSecond));
        }
        var pausedBefore = GC.GetTotalPauseDuration();
        var gen2Before = GC.CollectionCount(2);
        var gen0Before = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        for (var tick = 0; clock.Elapsed.TotalSeconds < seconds; tick++)
        {
            var due = TimeSpan.FromSeconds(tick / (double)perSecond);
            if (clock.Elapsed < due) await Task.Delay(due - clock.Elapsed);
            await hub.Clients.All.SendAsync("Tick", Stopwatch.GetTimestamp(), payload);
        }
        await Task.Delay(1000);
        if (Stats.Diagnose)
            Console.WriteLine($"DIAG bare GC: paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds:F0} ms, gen0 {GC.CollectionCount(0) - gen0Before}, gen2 {GC.CollectionCount(2) - gen2Before}");
        foreach (var handler in handlers) handler.Dispose();
        return [.. latencies];
    }
}
