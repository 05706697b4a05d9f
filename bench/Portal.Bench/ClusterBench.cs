using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Web.Features.Api;

namespace Portal.Bench;

public sealed record ClusterLive(int Clients, double WriteRate, double SingleP99, double SpreadP99, IReadOnlyList<LiveRound> Rounds, string Split)
{
    /// <summary>The verdict's figure: the median over rounds of the spread p99 over the single-node p99 just before it.</summary>
    public double MedianRatio => Stats.Median(Rounds.Select(r => r.Ratio));
}

public sealed record ClusterScale(int Clients, int Addresses, long BeforeBytes, long IdleBytes, IReadOnlyList<PushPhase> Phases)
{
    public double IdleKilobytesPerClient => PerClient(IdleBytes);
    public double PerClient(long bytes) => (bytes - BeforeBytes) / 1024.0 / Clients;
}

/// <summary>One stretch of pushes at one rate: the node's memory steady (median of its last fifth) and at its peak, delivery, cores.</summary>
public sealed record PushPhase(double Rate, double Seconds, long SteadyBytes, long PeakBytes, double WithinOneSecond, double P99Ms, long Missing,
    double NodeCores, double ClientCores);

public sealed record ClusterResult(ClusterLive Live, IngestResult Ingest, ClusterScale Scale);

/// <summary>
/// Several nodes (#21), on deploy/cluster.sh's cluster: write-to-screen with hub clients spread over both nodes through
/// nginx against the same clients on one node, till API ingest through nginx, and the scale of idle hub clients on one
/// node (memory per connection, share of pushes within a second). Writes are till entries (a vote needs a Blazor
/// circuit); each is timed from its request, so a latency counts the write as the till sees it, then the fan-out.
/// </summary>
public static class ClusterBench
{
    public static async Task<ClusterResult> RunAsync(Options options)
    {
        Console.WriteLine("cluster: deploy/cluster.sh up");
        await using var cluster = await ClusterProcess.UpAsync();
        // The campaign and the till key are set up through the services of an in-process portal on the cluster's database.
        await using var seeder = await BenchHost.StartAsync(engine: BenchEngine.Postgres, connectionString: cluster.Database);
        var world = await seeder.SeedAsync(voters: 0);
        var (_, key) = await seeder.Get<ApiKeyService>().CreateAsync(world.Merchant, world.EstablishmentA, "bench cluster");

        var live = await LiveAsync(cluster, world.CampaignId, key, options.Clients, options.ClusterRate, options.Seconds);
        Console.WriteLine($"cluster live: single node p99 {live.SingleP99:F1} ms, spread {live.SpreadP99:F1} ms, ratios {string.Join(", ", live.Rounds.Select(r => r.Ratio.ToString("F2")))} ({live.Split})");
        using var throughNginx = Till(cluster.Url, key, options.Writers.Max());
        var ingest = await IngestBench.TillAsync(throughNginx, world.CampaignId, options.Writers.Max(), options.IngestSeconds, "donations, HTTP API + Idempotency-Key, through nginx over both nodes");
        Console.WriteLine($"cluster ingest x{ingest.Writers}: {ingest.WritesPerSecond:F0}/s, p99 {ingest.P99Ms:F1} ms, failures {ingest.Failures}");
        var scale = await ScaleAsync(cluster, world.CampaignId, key, options.ScaleClients, options.ScaleRates, options.ScaleSeconds);
        foreach (var phase in scale.Phases)
            Console.WriteLine($"cluster scale: {scale.Clients} clients, {scale.IdleKilobytesPerClient:F1} KB idle; at {phase.Rate} push/s {scale.PerClient(phase.SteadyBytes):F1} KB steady, {scale.PerClient(phase.PeakBytes):F1} KB peak per client; {phase.WithinOneSecond:P2} within 1 s, p99 {phase.P99Ms:F0} ms");
        return new ClusterResult(live, ingest, scale);
    }

    private static HttpClient Till(Uri address, string key, int connections)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections, UseCookies = false,
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        }) { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return client;
    }

    private static async Task PostEntryAsync(HttpClient till, int campaignId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/campaigns/{campaignId}/donations")
        {
            Content = new ByteArrayContent("""{"amount":2,"solidons":1}"""u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await till.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Rounds of two runs each, under the same sequential writer at the same asked rate, everything through nginx
    /// (TLS) and Redis: node b out of the pool, so that every client and write reaches node a (one node); then both
    /// nodes in the pool, the clients spread by their 64 addresses, the writes by request. The k-th write makes
    /// version base + k.
    /// </summary>
    private static async Task<ClusterLive> LiveAsync(ClusterProcess cluster, int campaignId, string key, int clients, int rate, double seconds)
    {
        const int addresses = 64;
        var rounds = new List<LiveRound>();
        var (single, spread, split, writes, elapsed) = (new List<double>(), new List<double>(), "", 0, 0.0);
        // An unmeasured run first, so that both nodes' paths are compiled and warm.
        await RunAsync(cluster.Url, cluster.Url, Math.Min(10, seconds));
        for (var round = 0; round < LiveBench.DefaultRounds; round++)
        {
            var both = await RunAsync(cluster.Url, cluster.Url, seconds, split: true);
            await cluster.StopNodeBAsync();
            var one = await RunAsync(cluster.Url, cluster.Url, seconds);
            await cluster.StartNodeBAsync();
            // A restarted node compiles its paths again: warm it up, unmeasured, before the next two-node run.
            if (round < LiveBench.DefaultRounds - 1) await RunAsync(cluster.Url, cluster.Url, Math.Min(10, seconds));
            rounds.Add(new LiveRound(Stats.Percentile(both.Latencies, 99), Stats.Percentile(one.Latencies, 99)));
            single.AddRange(one.Latencies);
            spread.AddRange(both.Latencies);
            (split, writes, elapsed) = (both.Split, writes + one.Writes + both.Writes, elapsed + 2 * seconds);
            Console.WriteLine($"cluster live round {round + 1}: one node p99 {rounds[^1].BareP99:F0} ms, both {rounds[^1].P99:F0} ms, ratio {rounds[^1].Ratio:F2}");
        }
        return new ClusterLive(clients, writes / elapsed, Stats.Percentile(single, 99), Stats.Percentile(spread, 99), rounds, split);

        async Task<(List<double> Latencies, int Writes, string Split)> RunAsync(Uri hubs, Uri writes, double forSeconds, bool split = false)
        {
            var received = new ConcurrentBag<(long Version, long At)>();
            var latest = new long[clients];
            var connections = new HubConnection[clients];
            long baseVersion = 0;
            await Parallel.ForAsync(0, clients, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                var connection = HubClients.Build(hubs, HubClients.Source(i, addresses));
                connection.On<SnapshotVersion>("Snapshot", s =>
                {
                    received.Add((s.Version, Stopwatch.GetTimestamp()));
                    InterlockedMax(ref latest[i], s.Version);
                });
                await connection.StartAsync();
                var joined = await connection.InvokeAsync<SnapshotVersion>("Join", campaignId);
                InterlockedMax(ref latest[i], joined.Version);
                InterlockedMax(ref baseVersion, joined.Version);
                connections[i] = connection;
            });
            var where = split ? $"{await ClusterProcess.HubConnectionsAsync(cluster.NodeA):F0} on node A, {await ClusterProcess.HubConnectionsAsync(cluster.NodeB):F0} on node B" : "";
            using var till = Till(writes, key, 1);
            var sentAt = new ConcurrentDictionary<long, long>();
            var clock = Stopwatch.StartNew();
            var k = 0;
            while (clock.Elapsed.TotalSeconds < forSeconds)
            {
                var due = TimeSpan.FromSeconds(k / (double)rate);
                if (clock.Elapsed < due) await Task.Delay(due - clock.Elapsed);
                sentAt[baseVersion + k + 1] = Stopwatch.GetTimestamp();
                await PostEntryAsync(till, campaignId);
                k++;
            }
            var deadline = Stopwatch.StartNew();
            while (latest.Any(v => v < baseVersion + k) && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);
            var behind = latest.Count(v => v < baseVersion + k);
            if (behind > 0) throw new InvalidOperationException($"{behind} hub clients never reached version {baseVersion + k}");
            foreach (var connection in connections) await connection.DisposeAsync();
            return ([.. received.Where(r => sentAt.ContainsKey(r.Version)).Select(r => Stats.Ms(r.At - sentAt[r.Version]))], k, where);
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }

    /// <summary>
    /// Idle hub clients on node A, held by four worker processes (one process here may open at most 20,000 files),
    /// each from addresses of its own; the node's resident memory before, once all have joined, and each second of
    /// the pushes that follow; a push is within a second when a client has the write's version within 1 s of its request.
    /// </summary>
    private static async Task<ClusterScale> ScaleAsync(ClusterProcess cluster, int campaignId, string key, int clients, double[] rates, double seconds)
    {
        const int workers = 4, addressesPerWorker = 25;
        var before = cluster.NodeAResidentBytes();
        var folder = Directory.CreateTempSubdirectory("solidons-bench-hubs-").FullName;
        var processes = new List<Process>();
        for (var w = 0; w < workers; w++)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!)
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
                ArgumentList = { "--hub-worker", cluster.NodeA.ToString(), $"{campaignId}", $"{clients / workers + (w < clients % workers ? 1 : 0)}", $"{w * addressesPerWorker}", $"{addressesPerWorker}", Path.Combine(folder, $"{w}.bin") },
            };
            if (Environment.ProcessPath!.EndsWith("dotnet")) start.ArgumentList.Insert(0, typeof(ClusterBench).Assembly.Location);
            processes.Add(Process.Start(start)!);
        }
        foreach (var process in processes)
        {
            var line = await process.StandardOutput.ReadLineAsync();
            if (line?.StartsWith("ready") != true) throw new InvalidOperationException($"a hub worker did not start: {line}{await process.StandardOutput.ReadToEndAsync()}");
        }
        Console.WriteLine($"cluster scale: {await ClusterProcess.HubConnectionsAsync(cluster.NodeA):F0} hub connections on node A");
        await Task.Delay(TimeSpan.FromSeconds(10));
        var idle = cluster.NodeAResidentBytes();

        using var till = Till(cluster.NodeA, key, 1);
        // Where the two cores go during the pushes: the node, and the four processes that play the clients.
        double Cpu() => ClusterProcess.CpuSeconds(cluster.NodeAProcessId);
        double WorkersCpu() => processes.Sum(p => ClusterProcess.CpuSeconds(p.Id));
        // The phases run one after the other on the same clients; write w belongs to phase phaseOf[w].
        var sentAt = new List<long>();
        var phaseOf = new List<int>();
        var measured = new List<(double Rate, long Steady, long Peak, double NodeCores, double ClientCores)>();
        for (var phase = 0; phase < rates.Length; phase++)
        {
            var rate = rates[phase];
            var (nodeCpu, workersCpu) = (Cpu(), WorkersCpu());
            var samples = new List<long>();
            var clock = Stopwatch.StartNew();
            var nextSample = TimeSpan.Zero;
            for (var k = 0; clock.Elapsed.TotalSeconds < seconds; k++)
            {
                var due = TimeSpan.FromSeconds(k / rate);
                while (clock.Elapsed < due)
                {
                    if (clock.Elapsed >= nextSample) { samples.Add(cluster.NodeAResidentBytes()); nextSample += TimeSpan.FromSeconds(1); }
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100, Math.Max(1, (due - clock.Elapsed).TotalMilliseconds))));
                }
                sentAt.Add(Stopwatch.GetTimestamp());
                phaseOf.Add(phase);
                await PostEntryAsync(till, campaignId);
            }
            var elapsed = clock.Elapsed.TotalSeconds;
            measured.Add((rate, (long)Stats.Median(samples.TakeLast(Math.Max(1, samples.Count / 5)).Select(x => (double)x)), samples.Max(),
                (Cpu() - nodeCpu) / elapsed, (WorkersCpu() - workersCpu) / elapsed));
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        foreach (var process in processes)
        {
            await process.StandardInput.WriteLineAsync("stop");
            await process.StandardInput.FlushAsync();
        }
        foreach (var process in processes) await process.WaitForExitAsync();

        // Each worker's file: per client, its receipts (version, time). The versions of the measured writes follow the
        // version every client had when it joined: the first receipt at or after version v delivers write v.
        var latencies = rates.Select(_ => new List<double>()).ToArray();
        var missing = new long[rates.Length];
        foreach (var file in Directory.GetFiles(folder))
        {
            using var reader = new BinaryReader(File.OpenRead(file));
            var joinedAt = reader.ReadInt64();
            for (var count = reader.ReadInt32(); count > 0; count--)
            {
                var receipts = Enumerable.Range(0, reader.ReadInt32()).Select(_ => (Version: reader.ReadInt64(), At: reader.ReadInt64())).ToList();
                var r = 0;
                for (var w = 0; w < sentAt.Count; w++)
                {
                    while (r < receipts.Count && receipts[r].Version < joinedAt + w + 1) r++;
                    if (r == receipts.Count)
                    {
                        for (; w < sentAt.Count; w++) missing[phaseOf[w]]++;
                        break;
                    }
                    latencies[phaseOf[w]].Add(Stats.Ms(receipts[r].At - sentAt[w]));
                }
            }
        }
        Directory.Delete(folder, recursive: true);
        return new ClusterScale(clients, workers * addressesPerWorker, before, idle, [.. measured.Select((m, i) => new PushPhase(m.Rate, seconds, m.Steady, m.Peak,
            1 - (latencies[i].Count(l => l > 1000) + missing[i]) / (double)(latencies[i].Count + missing[i]), Stats.Percentile(latencies[i], 99), missing[i],
            m.NodeCores, m.ClientCores))]);
    }

    /// <summary>
    /// A worker process of <see cref="ScaleAsync"/>: opens its hub clients (<see cref="RawHubClient"/>) from its
    /// addresses, joins them all to the campaign (which takes no write meanwhile), says "ready", records each receipt
    /// until told "stop", writes them.
    /// </summary>
    public static async Task<int> HubWorkerAsync(string[] args)
    {
        var (node, campaignId, clients, firstAddress, addresses, file) = (new Uri(args[0]), int.Parse(args[1]), int.Parse(args[2]), int.Parse(args[3]), int.Parse(args[4]), args[5]);
        var connections = new RawHubClient[clients];
        await Parallel.ForAsync(0, clients, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            connections[i] = await RawHubClient.JoinAsync(node, HubClients.Source(firstAddress + i % addresses, 1000), campaignId));
        Console.WriteLine($"ready {clients}");
        // SignalR drops a client it has not heard from for 30 s.
        using var stop = new CancellationTokenSource();
        var pings = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(TimeSpan.FromSeconds(10), stop.Token); } catch (OperationCanceledException) { return; }
                foreach (var connection in connections) await connection.PingAsync();
            }
        });
        while (await Console.In.ReadLineAsync() is { } line && line != "stop") { }
        await stop.CancelAsync();
        await pings;
        await using (var writer = new BinaryWriter(File.Create(file), Encoding.UTF8))
        {
            writer.Write(connections.Max(c => c.JoinedAt));
            writer.Write(clients);
            foreach (var receipts in connections.Select(c => c.Receipts))
            {
                writer.Write(receipts.Count);
                foreach (var (version, at) in receipts) { writer.Write(version); writer.Write(at); }
            }
        }
        return 0;
    }
}
