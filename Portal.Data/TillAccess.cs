namespace Portal.Data;

/// <summary>
/// A till system's key for one establishment. Only a SHA-256 hash of the secret is stored; the full key is shown once,
/// when the merchant creates it. <see cref="Prefix"/> finds the row without revealing anything.
/// </summary>
public sealed class ApiKey
{
    public int Id { get; set; }
    public int EstablishmentId { get; set; }
    public string Name { get; set; } = "";
    public string Prefix { get; set; } = "";
    public byte[] SecretHash { get; set; } = [];
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>
/// The first response to a request carrying an Idempotency-Key, kept at least 24 hours (Stripe's model): the same key
/// with the same payload replays it, with another payload it is refused. Written in the same transaction as the
/// ledger entries it describes, so a retry can never count twice.
/// </summary>
public sealed class IdempotencyRecord
{
    public long Id { get; set; }
    public int ApiKeyId { get; set; }
    public string Key { get; set; } = "";
    public byte[] RequestHash { get; set; } = [];
    public int StatusCode { get; set; }
    public string ResponseBody { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
