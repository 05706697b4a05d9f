using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Data;

using Portal.Web.Features;

namespace Portal.Bench;

public sealed record PageResult(int Votes, int Donations, int Concurrency, int Requests, double P50Ms, double P95Ms, double QueriesPerRender);

/// <summary>The public campaign page, server-rendered, for a campaign with many votes and ledger entries.</summary>
public static class PageBench
{
    public static async Task<PageResult> RunAsync(BenchHost host, int votes, int donations, int concurrency, int requests)
    {
        var world = await host.SeedAsync(voters: 0);
        await BulkLoadAsync(host, world, votes, donations);
        string slug;
        await using (var db = host.Db())
            slug = await db.Campaigns.Where(c => c.Id == world.CampaignId).Select(c => c.Slug).SingleAsync();

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = host.BaseAddress };
        (await client.GetAsync($"campagnes/{slug}")).EnsureSuccessStatusCode();

        // SQL commands per render, counted on one sequential render once the page's header has expired from its cache.
        await Task.Delay(PublicQueries.HeaderLifetime + TimeSpan.FromMilliseconds(200));
        var counter = new CommandCounter();
        using (var subscription = DiagnosticListener.AllListeners.Subscribe(counter))
        {
            counter.Reset();
            (await client.GetAsync($"campagnes/{slug}")).EnsureSuccessStatusCode();
        }
        var queries = counter.Count;

        // The first thousands of renders run code the JIT has not optimised yet: warm up unmeasured, then measure.
        await LoadAsync(client, slug, concurrency, Math.Max(requests, 2000), new ConcurrentBag<double>());
        var latencies = new ConcurrentBag<double>();
        await LoadAsync(client, slug, concurrency, requests, latencies);
        var list = latencies.ToList();
        return new PageResult(votes, donations, concurrency, list.Count, Stats.Percentile(list, 50), Stats.Percentile(list, 95), queries);
    }

    private static async Task LoadAsync(HttpClient client, string slug, int concurrency, int requests, ConcurrentBag<double> latencies)
    {
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= requests)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync($"campagnes/{slug}");
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
                latencies.Add(Stats.Ms(Stopwatch.GetTimestamp() - start));
            }
        })));
    }

    /// <summary>Loads votes (with their voters) and ledger entries in bulk, then sets the running totals to match.</summary>
    private static async Task BulkLoadAsync(BenchHost host, BenchWorld world, int votes, int donations)
    {
        var connectionString = host.Get<DatabaseSettings>().ConnectionString;
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await Exec(connection, transaction, votes, "INSERT INTO AspNetUsers (Id, UserName, NormalizedUserName, Email, NormalizedEmail, EmailConfirmed, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount, DisplayName, Culture, EmailPreference) VALUES ($id, $id, $id, $id, $id, 0, 0, 0, 0, 0, 'Bench', 'fr', 'None')",
            (c, i) => c.Parameters["$id"].Value = $"bulk-{world.CampaignId}-{i}", "$id");
        await Exec(connection, transaction, votes, $"INSERT INTO Votes (CampaignId, ContributorId, ProjectId, CastAt, UpdatedAt, Changes) VALUES ({world.CampaignId}, $id, $p, 0, 0, 0)",
            (c, i) => { c.Parameters["$id"].Value = $"bulk-{world.CampaignId}-{i}"; c.Parameters["$p"].Value = i % 3 == 0 ? world.ProjectA : world.ProjectB; }, "$id", "$p");
        await Exec(connection, transaction, donations, $"INSERT INTO DonationEntries (CampaignId, EstablishmentId, AmountCents, Solidons, CollectedAt, LoggedAt, LoggedBy, Source) VALUES ({world.CampaignId}, $e, 150, 1, 0, 0, 'bench', 'Batch')",
            (c, i) => c.Parameters["$e"].Value = i % 2 == 0 ? world.EstablishmentA : world.EstablishmentB, "$e");
        await using (var totals = connection.CreateCommand())
        {
            totals.Transaction = transaction;
            totals.CommandText = $"""
                UPDATE Campaigns SET CollectedCents = (SELECT SUM(AmountCents) FROM DonationEntries WHERE CampaignId = {world.CampaignId}),
                    Solidons = (SELECT SUM(Solidons) FROM DonationEntries WHERE CampaignId = {world.CampaignId}),
                    Entries = (SELECT COUNT(*) FROM DonationEntries WHERE CampaignId = {world.CampaignId}),
                    VotesCast = (SELECT COUNT(*) FROM Votes WHERE CampaignId = {world.CampaignId}), Sequence = Sequence + 1 WHERE Id = {world.CampaignId};
                UPDATE CampaignCandidates SET Votes = (SELECT COUNT(*) FROM Votes v WHERE v.CampaignId = CampaignCandidates.CampaignId AND v.ProjectId = CampaignCandidates.ProjectId) WHERE CampaignId = {world.CampaignId};
                UPDATE EstablishmentTallies SET CollectedCents = (SELECT SUM(AmountCents) FROM DonationEntries d WHERE d.CampaignId = EstablishmentTallies.CampaignId AND d.EstablishmentId = EstablishmentTallies.EstablishmentId),
                    Solidons = (SELECT SUM(Solidons) FROM DonationEntries d WHERE d.CampaignId = EstablishmentTallies.CampaignId AND d.EstablishmentId = EstablishmentTallies.EstablishmentId)
                    WHERE CampaignId = {world.CampaignId};
                """;
            await totals.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    private static async Task Exec(SqliteConnection connection, SqliteTransaction transaction, int count, string sql, Action<SqliteCommand, int> bind, params string[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var p in parameters) command.Parameters.Add(new SqliteParameter(p, null));
        command.Prepare();
        for (var i = 0; i < count; i++)
        {
            bind(command, i);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Counts EF Core's executed commands through its DiagnosticListener.</summary>
    private sealed class CommandCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        private int _count;
        public int Count => _count;
        public void Reset() => _count = 0;
        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == "Microsoft.EntityFrameworkCore") listener.Subscribe(this);
        }
        public void OnNext(KeyValuePair<string, object?> e)
        {
            if (e.Key == "Microsoft.EntityFrameworkCore.Database.Command.CommandExecuted") Interlocked.Increment(ref _count);
        }
        public void OnCompleted() { }
        public void OnError(Exception error) { }
    }
}
