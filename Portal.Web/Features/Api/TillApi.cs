using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Web.Features.Donations;

namespace Portal.Web.Features.Api;

/// <summary>A donation entry as a till system sends it; the campaign comes from the route, the establishment from the key.</summary>
public sealed record DonationInput(decimal? Amount, int? Solidons, int? Bills, DateTimeOffset? CollectedAt);

public sealed record BatchInput(IReadOnlyList<DonationInput>? Entries);

public sealed record DonationOutput(long Id, int CampaignId, int EstablishmentId, decimal Amount, int Solidons, int? Bills,
    DateTimeOffset CollectedAt, DateTimeOffset LoggedAt);

public sealed record OpenCampaignOutput(int Id, string Name, string Slug, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>
/// The HTTP API for till systems, at /api/v1. Writes need an Idempotency-Key header (Stripe's model): the first
/// response is stored with the entries, in their transaction; the same key with the same payload replays it, with
/// another payload it is refused. Records are kept at least 24 hours.
/// </summary>
public static class TillApi
{
    public const string RateLimitPolicy = "till";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapTillApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName)
                .RequireClaim(ApiKeyAuthenticationHandler.EstablishmentClaim).Build())
            .RequireRateLimiting(RateLimitPolicy)
            .WithTags("Till")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapGet("/campaigns", OpenCampaignsAsync)
            .WithSummary("Open campaigns the key's establishment collects for");
        api.MapPost("/campaigns/{campaignId:int}/donations", (int campaignId, DonationInput body, HttpContext http, TillWriter writer, CancellationToken ct) =>
                writer.WriteAsync(http, campaignId, [body], ct))
            .WithSummary("Log one donation entry (Idempotency-Key header required)")
            .Produces<DonationOutput[]>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/campaigns/{campaignId:int}/donations/batch", (int campaignId, BatchInput body, HttpContext http, TillWriter writer, CancellationToken ct) =>
                writer.WriteAsync(http, campaignId, body.Entries ?? [], ct))
            .WithSummary("Log several entries at once, all or nothing (Idempotency-Key header required)")
            .Produces<DonationOutput[]>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> OpenCampaignsAsync(ClaimsPrincipal user, IDbContextFactory<PortalDbContext> dbFactory, CancellationToken ct)
    {
        var establishmentId = EstablishmentOf(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var network = await db.Establishments.Where(e => e.Id == establishmentId).Select(e => e.NetworkId).SingleAsync(ct);
        var campaigns = await db.Campaigns.AsNoTracking().IgnoreAutoIncludes()
            .Where(c => c.NetworkId == network && c.Status == CampaignStatus.Open)
            .Select(c => new OpenCampaignOutput(c.Id, c.Name, c.Slug, c.StartsAt, c.EndsAt)).ToListAsync(ct);
        return Results.Ok(campaigns);
    }

    internal static int EstablishmentOf(ClaimsPrincipal user) => int.Parse(user.FindFirstValue(ApiKeyAuthenticationHandler.EstablishmentClaim)!);

    internal static int KeyOf(ClaimsPrincipal user) => int.Parse(user.FindFirstValue(ApiKeyAuthenticationHandler.KeyClaim)!);

    internal static byte[] Hash(int campaignId, IReadOnlyList<DonationInput> entries) =>
        SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new { campaignId, entries }, Json));

    internal static string Serialize(object value) => JsonSerializer.Serialize(value, Json);
}

/// <summary>The idempotent write path behind the till API's two POST endpoints.</summary>
public sealed class TillWriter(IDbContextFactory<PortalDbContext> dbFactory, DonationLedger ledger, LedgerCommits commits, ILogger<TillWriter> logger)
{
    public const string Header = "Idempotency-Key";

    public async Task<IResult> WriteAsync(HttpContext http, int campaignId, IReadOnlyList<DonationInput> inputs, CancellationToken ct)
    {
        var key = http.Request.Headers[Header].ToString();
        if (key.Length is 0 or > 255)
            return Results.ValidationProblem(new Dictionary<string, string[]> { [Header] = ["Send an Idempotency-Key header (1 to 255 characters), unique per logical write."] });
        var keyId = TillApi.KeyOf(http.User);
        var establishmentId = TillApi.EstablishmentOf(http.User);
        var hash = TillApi.Hash(campaignId, inputs);
        var actor = new Actor(http.User.FindFirstValue(ClaimTypes.NameIdentifier)!, new HashSet<string> { Roles.Merchant }, [establishmentId], null, null);
        var commands = inputs.Select(i => new LogDonation
        {
            CampaignId = campaignId, EstablishmentId = establishmentId, Amount = i.Amount, Solidons = i.Solidons, Bills = i.Bills, CollectedAt = i.CollectedAt,
        }).ToList();

        try
        {
            return await WriteOnceAsync(keyId, key, hash, actor, commands, ct);
        }
        catch (DbUpdateException) when (!ct.IsCancellationRequested)
        {
            // Another request with this key committed first (the unique index said so): answer as it did.
            logger.LogInformation("Idempotency key {Key} raced; replaying the stored response", key);
            return await ReplayAsync(keyId, key, hash, ct) ?? Results.Problem("The request could not be completed; retry it.", statusCode: 409);
        }
        catch (ValidationException e)
        {
            return Results.ValidationProblem(e.Errors.GroupBy(x => JsonName(x.PropertyName)).ToDictionary(g => g.Key, g => g.Select(x => x.ErrorMessage).ToArray()));
        }
        catch (DomainException e) when (e.Code == LedgerCommits.RevokedKey)
        {
            return Results.Problem(title: e.Message, statusCode: 401);
        }
        catch (DomainException e)
        {
            return Results.Problem(title: e.Message, statusCode: 422, extensions: new Dictionary<string, object?> { ["code"] = e.Code });
        }
        catch (ForbiddenException e)
        {
            return Results.Problem(title: e.Message, statusCode: 403);
        }
    }

    private async Task<IResult> WriteOnceAsync(int keyId, string key, byte[] hash, Actor actor, List<LogDonation> commands, CancellationToken ct)
    {
        ledger.Check(actor, commands);
        var claim = new IdempotencyClaim(keyId, key, hash, entries => TillApi.Serialize(entries.Select(e => new DonationOutput(e.Id,
            e.CampaignId, e.EstablishmentId, e.Amount.Euros, e.Solidons, e.Bills, e.CollectedAt, e.LoggedAt)).ToArray()));
        // Once queued the write happens whether or not this caller still waits: a retry with the same key replays it.
        var result = await commits.AppendAsync(actor, commands, EntrySource.Api, claim).WaitAsync(ct);
        return result.Entries is null
            ? Replay(result.Record!, hash)
            : Results.Text(result.Record!.ResponseBody, "application/json", statusCode: StatusCodes.Status201Created);
    }

    private async Task<IResult?> ReplayAsync(int keyId, string key, byte[] hash, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.ApiKeyId == keyId && r.Key == key, ct);
        return existing is null ? null : Replay(existing, hash);
    }

    private static IResult Replay(IdempotencyRecord record, byte[] hash) =>
        CryptographicOperations.FixedTimeEquals(record.RequestHash, hash)
            ? new ReplayedResult(record)
            : Results.Problem(title: "This Idempotency-Key was already used with another payload.",
                detail: "Use a new key for a new write; reuse a key only to retry the very same request.", statusCode: 422,
                extensions: new Dictionary<string, object?> { ["code"] = "idempotency.key_reused" });

    /// <summary>"Entries[2].Amount" -> "entries[2].amount", as the JSON the client sent.</summary>
    private static string JsonName(string property) =>
        string.Join('.', property.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));

    private sealed class ReplayedResult(IdempotencyRecord record) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = record.StatusCode;
            http.Response.Headers["Idempotent-Replayed"] = "true";
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync(record.ResponseBody);
        }
    }
}
