using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Common;

namespace Portal.Web.Features.Api;

public sealed record ApiKeyView(int Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary>Merchants create and revoke their till systems' keys. A key reads "sol_&lt;prefix&gt;_&lt;secret&gt;".</summary>
public sealed class ApiKeyService(IDbContextFactory<PortalDbContext> dbFactory, ApiKeyCache cache, TimeProvider clock)
{
    public const string KeyStart = "sol_";

    /// <summary>Creates a key and returns it whole: this is the only time it can be seen.</summary>
    public async Task<(ApiKeyView Key, string Secret)> CreateAsync(Actor actor, int establishmentId, string name, CancellationToken cancellationToken = default)
    {
        if (!actor.MayLogFor(establishmentId)) throw new ForbiddenException("Not your establishment.");
        name = name.Trim();
        if (name.Length is 0 or > 80) throw new DomainException("apikey.name", "Give the key a name of at most 80 characters.");
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(24));
        var key = new ApiKey
        {
            EstablishmentId = establishmentId,
            Name = name,
            Prefix = prefix,
            SecretHash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)),
            CreatedBy = actor.UserId,
            CreatedAt = clock.GetUtcNow(),
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return (View(key), $"{KeyStart}{prefix}_{secret}");
    }

    public async Task RevokeAsync(Actor actor, int keyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId, cancellationToken)
            ?? throw new DomainException("apikey.not_found", "This key does not exist.");
        if (!actor.MayLogFor(key.EstablishmentId)) throw new ForbiddenException("Not your establishment.");
        key.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        cache.Forget(key.Prefix);
    }

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(Actor actor, int establishmentId, CancellationToken cancellationToken = default)
    {
        if (!actor.MayLogFor(establishmentId)) throw new ForbiddenException("Not your establishment.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.EstablishmentId == establishmentId).ToListAsync(cancellationToken);
        return [.. keys.OrderByDescending(k => k.CreatedAt).Select(View)];
    }

    /// <summary>The key behind a presented secret, if it exists and is not revoked; compared in constant time.</summary>
    public async Task<ApiKey?> FindActiveAsync(string presented, CancellationToken cancellationToken)
    {
        if (!presented.StartsWith(KeyStart, StringComparison.Ordinal)) return null;
        var parts = presented[KeyStart.Length..].Split('_', 2);
        if (parts.Length != 2) return null;
        var key = cache.Find(parts[0]);
        if (key is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Prefix == parts[0] && k.RevokedAt == null, cancellationToken);
            if (key is null) return null;
            cache.Remember(key);
        }
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(parts[1]));
        return CryptographicOperations.FixedTimeEquals(hash, key.SecretHash) ? key : null;
    }

    private static ApiKeyView View(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.CreatedAt, k.RevokedAt, k.LastUsedAt);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// Active keys by prefix, for a short while: a till sends many requests a minute, and looking its key up each time
/// would cost a query per write. Revoking forgets the key on this node at once; on other nodes the write path checks
/// revocation again inside its transaction, so a revoked key never writes.
/// </summary>
public sealed class ApiKeyCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset Until)> _keys = new();

    public ApiKey? Find(string prefix) =>
        _keys.TryGetValue(prefix, out var cached) && cached.Until > clock.GetUtcNow() ? cached.Key : null;

    public void Remember(ApiKey key) => _keys[key.Prefix] = (key, clock.GetUtcNow() + Lifetime);

    public void Forget(string prefix) => _keys.TryRemove(prefix, out _);
}
