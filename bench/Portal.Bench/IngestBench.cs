using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Features.Api;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Votes;

namespace Portal.Bench;

public sealed record IngestResult(string Path, int Writers, double WritesPerSecond, double P99Ms, int Failures);

/// <summary>
/// Durable writes per second from W concurrent writers, through the services (the quick-entry form's path) and through
/// the till API with idempotency keys, on the engine the portal runs; on SQLite, beside a bare loop of transactions on a
/// file with the same durability settings.
/// </summary>
public static class IngestBench
{
    public static Task<IngestResult> ServicesAsync(BenchHost host, BenchWorld world, int writers, double seconds) =>
        RunAsync("donations, services", writers, seconds, DonationWrite(host, world));

    /// <summary>
    /// Votes through the services: write k is cast by voter k mod N for alternate projects, so every write changes a
    /// vote (counted the first time, moved after) and no voter has two writes in flight at once.
    /// </summary>
    public static async Task<IngestResult> VotesAsync(BenchHost host, BenchWorld world, int writers, double seconds)
    {
        var votes = host.Get<VoteService>();
        var voters = world.Voters;
        return await RunAsync("votes, services", writers, seconds, k =>
        {
            var round = k / voters.Count;
            return votes.CastAsync(voters[(int)(k % voters.Count)], new CastVote(world.CampaignId, round % 2 == 0 ? world.ProjectA : world.ProjectB, null));
        });
    }

    public static async Task<IngestResult> ApiAsync(BenchHost host, BenchWorld world, int writers, double seconds, bool bare = false)
    {
        var (_, key) = await host.Get<ApiKeyService>().CreateAsync(world.Merchant, world.EstablishmentA, $"bench {Guid.NewGuid():N}");
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = writers }) { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return bare
            ? await TillAsync(client, world.CampaignId, writers, seconds, "bare HTTP POST, same pipeline, no database", "bench/bare")
            : await TillAsync(client, world.CampaignId, writers, seconds, "donations, HTTP API + Idempotency-Key");
    }

    /// <summary>Till entries of one solidon, each with its own Idempotency-Key, by a client that carries the till's key.</summary>
    public static Task<IngestResult> TillAsync(HttpClient till, int campaignId, int writers, double seconds, string label, string? path = null)
    {
        // The body a till sends, serialised once: the harness shares the machine with the portal, and what is measured
        // is the portal's work, not the client's JSON serialiser (which would also send it chunked, without a length).
        var body = System.Text.Encoding.UTF8.GetBytes("""{"amount":2,"solidons":1}""");
        path ??= $"api/v1/campaigns/{campaignId}/donations";
        return RunAsync(label, writers, seconds, async i =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
            request.Headers.Add("Idempotency-Key", $"bench-{i}-{Guid.NewGuid():N}");
            using var response = await till.SendAsync(request);
            response.EnsureSuccessStatusCode();
        });
    }

    /// <summary>
    /// The ceiling of this disk: a loop of transactions of <paramref name="rowsPerTransaction"/> INSERTs (and one
    /// UPDATE, as a running total) on a SQLite file with the same durability (WAL, synchronous FULL), nothing else.
    /// One row per transaction is what a writer without group commit could reach; batched is the bare loop.
    /// </summary>
    public static async Task<IngestResult> BareSqliteAsync(string folder, double seconds, int rowsPerTransaction)
    {
        var file = Path.Combine(folder, $"bare-{rowsPerTransaction}.db");
        await using var connection = await OpenBareAsync(file, "CREATE TABLE IF NOT EXISTS entries (id INTEGER PRIMARY KEY, campaign INTEGER, establishment INTEGER, cents INTEGER, solidons INTEGER, logged INTEGER);");
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO entries (campaign, establishment, cents, solidons, logged) VALUES (1, 1, 200, 1, $t)";
        var logged = insert.Parameters.Add("$t", SqliteType.Integer);
        await using var total = connection.CreateCommand();
        total.CommandText = "UPDATE entries SET solidons = solidons + 1 WHERE id = 1";
        var result = await RunAsync(rowsPerTransaction == 1 ? "bare SQLite, one row per transaction" : $"bare SQLite, {rowsPerTransaction} rows per transaction", 1, seconds, async i =>
        {
            await using var transaction = connection.BeginTransaction();
            insert.Transaction = total.Transaction = transaction;
            for (var row = 0; row < rowsPerTransaction; row++)
            {
                logged.Value = i;
                await insert.ExecuteNonQueryAsync();
            }
            await total.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        });
        return result with { WritesPerSecond = result.WritesPerSecond * rowsPerTransaction };
    }

    /// <summary>
    /// The same bare loop on the portal's PostgreSQL server, in a table of its own: what one writer without group
    /// commit reaches there (one row per transaction), and with rows batched, with the server's default durability.
    /// </summary>
    public static async Task<IngestResult> BarePostgresAsync(string connectionString, double seconds, int rowsPerTransaction)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = $"CREATE TABLE IF NOT EXISTS bare_entries_{rowsPerTransaction} (id bigserial PRIMARY KEY, campaign int, establishment int, cents bigint, solidons int, logged bigint); " +
                $"INSERT INTO bare_entries_{rowsPerTransaction} (campaign, establishment, cents, solidons, logged) VALUES (1, 1, 0, 0, 0);";
            await create.ExecuteNonQueryAsync();
        }
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO bare_entries_{rowsPerTransaction} (campaign, establishment, cents, solidons, logged) VALUES (1, 1, 200, 1, $1)";
        var logged = new Npgsql.NpgsqlParameter<long> { TypedValue = 0 };
        insert.Parameters.Add(logged);
        await using var total = connection.CreateCommand();
        total.CommandText = $"UPDATE bare_entries_{rowsPerTransaction} SET solidons = solidons + 1 WHERE id = 1";
        var result = await RunAsync(rowsPerTransaction == 1 ? "bare PostgreSQL, one row per transaction" : $"bare PostgreSQL, {rowsPerTransaction} rows per transaction", 1, seconds, async i =>
        {
            await using var transaction = await connection.BeginTransactionAsync();
            for (var row = 0; row < rowsPerTransaction; row++)
            {
                logged.TypedValue = i;
                await insert.ExecuteNonQueryAsync();
            }
            await total.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        });
        return result with { WritesPerSecond = result.WritesPerSecond * rowsPerTransaction };
    }

    /// <summary>A donation through the services by the bench merchant, as the quick-entry form makes it.</summary>
    public static Func<long, Task> DonationWrite(BenchHost host, BenchWorld world)
    {
        var ledger = host.Get<DonationLedger>();
        return _ => ledger.LogAsync(world.Merchant, new LogDonation { CampaignId = world.CampaignId, EstablishmentId = world.EstablishmentA, Amount = 2, Solidons = 1 });
    }

    /// <summary>A connection of its own to <paramref name="file"/>, in WAL like the portal's (synchronous FULL, SQLite's default).</summary>
    private static async Task<SqliteConnection> OpenBareAsync(string file, string setupSql)
    {
        var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        await using var setup = connection.CreateCommand();
        setup.CommandText = $"PRAGMA journal_mode=WAL; {setupSql}";
        await setup.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task<IngestResult> RunAsync(string path, int writers, double seconds, Func<long, Task> write)
    {
        // Three unmeasured seconds first, so that the figures are the steady state, not the JIT compiling the path.
        await MeasureAsync(writers, 3, write);
        Console.WriteLine($"measuring ingest, {path}, {writers} writers");
        return await MeasureAsync(writers, seconds, write) with { Path = path };
    }

    private static async Task<IngestResult> MeasureAsync(int writers, double seconds, Func<long, Task> write)
    {
        const string path = "";
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        long sequence = 0;
        var (allocated, collections, paused) = (GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0), GC.GetTotalPauseDuration());
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await write(Interlocked.Increment(ref sequence));
                    latencies.Add(Stats.Ms(Stopwatch.GetTimestamp() - start));
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        var list = latencies.ToList();
        if (Stats.Diagnose && list.Count > 0)
            Console.WriteLine($"DIAG ingest {writers} writers: {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / list.Count / 1024.0:F1} KB allocated per write, " +
                $"{GC.CollectionCount(0) - collections} collections, GC paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds / clock.Elapsed.TotalMilliseconds:P1} of the time");
        return new IngestResult(path, writers, list.Count / clock.Elapsed.TotalSeconds, Stats.Percentile(list, 99), failures);
    }
}
