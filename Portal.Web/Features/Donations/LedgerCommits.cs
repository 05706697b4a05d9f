using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;

namespace Portal.Web.Features.Donations;

/// <summary>An Idempotency-Key sent with a till API write: its record is stored in the transaction of the entries.</summary>
public sealed record IdempotencyClaim(int ApiKeyId, string Key, byte[] RequestHash, Func<IReadOnlyList<CampaignChange>, string> ResponseBody);

/// <summary>
/// What became of one append: the entries written, with the idempotency record when a key was sent; or, when the key
/// had been used before, that earlier record alone (<see cref="Entries"/> is null) for the caller to replay.
/// </summary>
public sealed record AppendResult(IReadOnlyList<DonationEntry>? Entries, IdempotencyRecord? Record);

/// <summary>
/// The ledger's <see cref="GroupCommit{TRequest, TResult}"/>: everything waiting is decided by the domain, then written
/// in one transaction by <see cref="CampaignWriter"/> (the entries, the running totals moved once per campaign and per
/// establishment), with the appends' idempotency records. Each append stays all or nothing: its domain rules are
/// checked before anything is written. Callers validate and check permissions
/// before they enqueue.
/// </summary>
public sealed class LedgerCommits
{
    /// <summary>The code of the refusal when a till's key was revoked after it authenticated.</summary>
    public const string RevokedKey = "apikey.revoked";

    private readonly TimeProvider _clock;
    private readonly GroupCommit<Append, AppendResult> _commits;

    // An establishment's network is set when it is created and never changes, and establishments are never deleted:
    // once read, it is known for good, and a batch reads only the places this node has not seen yet (the read cost
    // a third of the batch's rules, measured).
    private readonly ConcurrentDictionary<int, int> _networkOfPlace = new();

    // The batch's reads are compiled once per node (a compiled query belongs to one model, so one provider): each commit runs them again with new values, and building them from LINQ
    // every time (parameter extraction, query-cache lookup) cost more than running them.
    // One key lookup per campaign of the batch (usually one: every till of an event): EF runs it at half the cost of
    // an IN over one id. The ledger's rules do not look at the candidates: skip their join on the hot path.
    private readonly Func<PortalDbContext, int, Task<Campaign?>> CampaignById = EF.CompileAsyncQuery(
        (PortalDbContext db, int id) => db.Campaigns.AsNoTracking().IgnoreAutoIncludes().FirstOrDefault(c => c.Id == id));

    private readonly Func<PortalDbContext, int[], IAsyncEnumerable<PlaceNetwork>> NetworksOf = EF.CompileAsyncQuery(
        (PortalDbContext db, int[] ids) => db.Establishments.Where(e => ids.Contains(e.Id)).Select(e => new PlaceNetwork(e.Id, e.NetworkId)));

    // Looked up through the unique index (ApiKeyId, Key): one query per till key in the batch, usually one.
    private readonly Func<PortalDbContext, int, string[], IAsyncEnumerable<IdempotencyRecord>> RecordsOf = EF.CompileAsyncQuery(
        (PortalDbContext db, int keyId, string[] keys) => db.IdempotencyRecords.AsNoTracking().Where(r => r.ApiKeyId == keyId && keys.Contains(r.Key)));

    private readonly Func<PortalDbContext, int[], IAsyncEnumerable<KeyUse>> KeysOf = EF.CompileAsyncQuery(
        (PortalDbContext db, int[] ids) => db.ApiKeys.Where(k => ids.Contains(k.Id)).Select(k => new KeyUse(k.Id, k.RevokedAt != null, k.LastUsedAt)));

    /// <summary>A key's "last used" moves at most this often: a till writing every second would otherwise rewrite its key's row with every batch.</summary>
    public static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    public LedgerCommits(IDbContextFactory<PortalDbContext> dbFactory, WriteGate gate, TimeProvider clock, ILogger<LedgerCommits> logger)
    {
        _clock = clock;
        _commits = new(dbFactory, gate, WriteAsync, logger);
    }

    public Task<AppendResult> AppendAsync(Actor actor, IReadOnlyList<LogDonation> commands, EntrySource source, IdempotencyClaim? claim = null) =>
        _commits.SubmitAsync(new Append(actor, commands, source, claim));

    private async Task WriteAsync(PortalDbContext db, IReadOnlyList<GroupCommit<Append, AppendResult>.Write> batch)
    {
        var now = _clock.GetUtcNow();
        var rules = await RulesForAsync(db, batch);

        // Every append is decided before any is written.
        var written = new List<(Append Append, List<CampaignChange> Changes, IdempotencyRecord? Record)>(batch.Count);
        foreach (var pending in batch)
        {
            var append = pending.Request;
            if (append.Claim is { } claim && rules.Records.TryGetValue((claim.ApiKeyId, claim.Key), out var earlier))
            {
                pending.Succeed(new AppendResult(null, earlier));
                continue;
            }
            List<CampaignChange> changes;
            try
            {
                if (append.Claim is { } used && rules.RevokedKeys.Contains(used.ApiKeyId))
                    throw new DomainException(RevokedKey, "This API key has been revoked.");
                changes = rules.LogAll(append, now);
            }
            catch (DomainException e)
            {
                pending.Refuse(e);
                continue;
            }
            IdempotencyRecord? record = null;
            if (append.Claim is { } c)
            {
                record = new IdempotencyRecord { ApiKeyId = c.ApiKeyId, Key = c.Key, RequestHash = c.RequestHash, StatusCode = StatusCodes.Status201Created, CreatedAt = now };
                rules.Records[(c.ApiKeyId, c.Key)] = record;
            }
            written.Add((append, changes, record));
            pending.Succeed(new AppendResult([.. changes.SelectMany(change => change.Entries)], record));
        }
        if (written.Count == 0) return;

        await db.ApplyAsync(written.SelectMany(w => w.Changes));
        // The stored response names the entries, so it is written once they have their ids.
        var withRecords = written.Where(w => w.Record is not null).ToList();
        foreach (var (append, changes, record) in withRecords)
        {
            record!.ResponseBody = append.Claim!.ResponseBody(changes);
            db.IdempotencyRecords.Add(record);
        }
        if (withRecords.Count > 0) await db.SaveChangesAsync();
        var stale = withRecords.Select(w => w.Record!.ApiKeyId).Distinct()
            .Where(id => rules.KeyLastUsed.GetValueOrDefault(id) is not { } last || now - last >= LastUseResolution).ToList();
        if (stale.Count > 0)
            await db.ApiKeys.Where(k => stale.Contains(k.Id)).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now));
    }

    /// <summary>
    /// What the batch's rules need, read once: its campaigns, the networks of its places, the idempotency keys already
    /// used, and its till keys' revocation and last use.
    /// </summary>
    private async Task<BatchRules> RulesForAsync(PortalDbContext db, IReadOnlyList<GroupCommit<Append, AppendResult>.Write> batch)
    {
        var appends = batch.Select(w => w.Request).ToList();
        var campaignIds = appends.SelectMany(p => p.Commands).Select(c => c.CampaignId).Distinct().ToArray();
        var placeIds = appends.SelectMany(p => p.Commands).Select(c => c.EstablishmentId).Distinct().ToArray();
        var campaigns = new Dictionary<int, Campaign>();
        foreach (var id in campaignIds)
            if (await CampaignById(db, id) is { } campaign) campaigns[id] = campaign;
        var unknown = placeIds.Where(id => !_networkOfPlace.ContainsKey(id)).ToArray();
        if (unknown.Length > 0)
            await foreach (var place in NetworksOf(db, unknown)) _networkOfPlace[place.Id] = place.NetworkId;
        var records = new Dictionary<(int ApiKeyId, string Key), IdempotencyRecord>();
        var revoked = new HashSet<int>();
        var lastUsed = new Dictionary<int, DateTimeOffset?>();
        foreach (var claims in appends.Where(p => p.Claim is not null).GroupBy(p => p.Claim!.ApiKeyId))
        {
            await foreach (var record in RecordsOf(db, claims.Key, [.. claims.Select(p => p.Claim!.Key).Distinct()]))
                records[(record.ApiKeyId, record.Key)] = record;
        }
        // Authentication trusts a cached key for up to 30 seconds; here, in the write's transaction, revocation is exact.
        var keyIds = appends.Where(p => p.Claim is not null).Select(p => p.Claim!.ApiKeyId).Distinct().ToArray();
        if (keyIds.Length > 0)
            await foreach (var key in KeysOf(db, keyIds))
            {
                if (key.Revoked) revoked.Add(key.Id);
                lastUsed[key.Id] = key.LastUsedAt;
            }
        return new BatchRules(campaigns, _networkOfPlace, records, revoked, lastUsed);
    }

    private sealed record PlaceNetwork(int Id, int NetworkId);

    private sealed record KeyUse(int Id, bool Revoked, DateTimeOffset? LastUsedAt);

    private sealed record Append(Actor Actor, IReadOnlyList<LogDonation> Commands, EntrySource Source, IdempotencyClaim? Claim);

    private sealed record BatchRules(Dictionary<int, Campaign> Campaigns, IReadOnlyDictionary<int, int> Networks,
        Dictionary<(int ApiKeyId, string Key), IdempotencyRecord> Records, HashSet<int> RevokedKeys, Dictionary<int, DateTimeOffset?> KeyLastUsed)
    {
        /// <summary>Every entry of one append; a refusal that names a field names its entry too ("entries[3].amount").</summary>
        public List<CampaignChange> LogAll(Append append, DateTimeOffset now)
        {
            var entries = new List<CampaignChange>(append.Commands.Count);
            for (var i = 0; i < append.Commands.Count; i++)
            {
                try
                {
                    entries.Add(Log(append.Commands[i], append, now));
                }
                catch (DomainException e) when (e.Field is not null && append.Commands.Count > 1)
                {
                    throw new DomainException(e.Code, $"Entry {i}: {e.Message}", $"entries[{i}].{e.Field}");
                }
            }
            return entries;
        }

        private CampaignChange Log(LogDonation command, Append append, DateTimeOffset now)
        {
            if (!Campaigns.TryGetValue(command.CampaignId, out var campaign))
                throw new DomainException("campaign.not_found", "This campaign does not exist.");
            if (!Networks.TryGetValue(command.EstablishmentId, out var network) || network != campaign.NetworkId)
                throw new DomainException("donation.other_network", "This establishment does not collect for this campaign.");
            return campaign.LogDonation(command.EstablishmentId, Money.FromEuros(command.Amount!.Value), command.Solidons!.Value,
                command.Bills, command.CollectedAt ?? now, append.Actor.UserId, now, append.Source, command.Tickets);
        }
    }
}
