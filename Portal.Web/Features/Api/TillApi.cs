using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
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
public sealed record DonationInput(decimal? Amount, int? Solidons, int? Bills, DateTimeOffset? CollectedAt, int? Tickets = null);

public sealed record BatchInput(IReadOnlyList<DonationInput>? Entries);

public sealed record DonationOutput(long Id, int CampaignId, int EstablishmentId, decimal Amount, int Solidons, int? Bills,
    DateTimeOffset CollectedAt, DateTimeOffset LoggedAt, IReadOnlyList<TicketOutput>? Tickets);

/// <summary>A vote ticket to print on the receipt: its code, and the address to print as a QR code.</summary>
public sealed record TicketOutput(string Code, string Url);

/// <param name="AcceptsTickets">Whether entries may ask for vote tickets (<c>"tickets"</c>): false when the campaign's votes are cast with accounts only.</param>
public sealed record OpenCampaignOutput(int Id, string Name, string Slug, DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool AcceptsTickets);

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
        // The bodies are read by TillPayload, not bound: binding rounds a third decimal and answers a null entry with a 500.
        api.MapPost("/campaigns/{campaignId:int}/donations", (int campaignId, HttpContext http, TillWriter writer, CancellationToken ct) =>
                writer.WriteAsync(http, campaignId, TillPayload.One, ct))
            .WithSummary("Log one donation entry (Idempotency-Key header required)")
            .WithJsonBody<DonationInput>()
            .Produces<DonationOutput[]>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/campaigns/{campaignId:int}/donations/batch", (int campaignId, HttpContext http, TillWriter writer, CancellationToken ct) =>
                writer.WriteAsync(http, campaignId, TillPayload.Batch, ct))
            .WithSummary($"Log 1 to {TillPayload.MaxEntries} entries at once, all or nothing (Idempotency-Key header required)")
            .WithJsonBody<BatchInput>()
            .Produces<DonationOutput[]>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        // Anything else under /api is a client's mistake, answered as the API answers: problem details, not a page.
        app.Map("/api/{**rest}", () => Results.Problem(title: "No such API route.", detail: "See /api/docs for the till API.", statusCode: 404))
            .ExcludeFromDescription();
    }

    /// <summary>
    /// Documents the JSON body without Accepts metadata: that would make routing refuse other content types before the
    /// handler, so that a wrong Content-Type fell through to the catch-all's 404 instead of the handler's 415.
    /// </summary>
    private static RouteHandlerBuilder WithJsonBody<TBody>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(TBody), null, ct) },
                },
            };
        });

    private static async Task<IResult> OpenCampaignsAsync(ClaimsPrincipal user, IDbContextFactory<PortalDbContext> dbFactory, CancellationToken ct)
    {
        var establishmentId = EstablishmentOf(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var network = await db.Establishments.Where(e => e.Id == establishmentId).Select(e => e.NetworkId).SingleAsync(ct);
        var campaigns = await db.Campaigns.AsNoTracking().IgnoreAutoIncludes()
            .Where(c => c.NetworkId == network && c.Status == CampaignStatus.Open)
            .Select(c => new OpenCampaignOutput(c.Id, c.Name, c.Slug, c.StartsAt, c.EndsAt, c.Voters != VoterRule.Accounts)).ToListAsync(ct);
        return Results.Ok(campaigns);
    }

    internal static int EstablishmentOf(ClaimsPrincipal user) => int.Parse(user.FindFirstValue(ApiKeyAuthenticationHandler.EstablishmentClaim)!);

    internal static int KeyOf(ClaimsPrincipal user) => int.Parse(user.FindFirstValue(ApiKeyAuthenticationHandler.KeyClaim)!);

    internal static string Serialize(object value) => JsonSerializer.Serialize(value, Json);
}

/// <summary>The idempotent write path behind the till API's two POST endpoints.</summary>
public sealed class TillWriter(IDbContextFactory<PortalDbContext> dbFactory, DonationLedger ledger, LedgerCommits commits, ILogger<TillWriter> logger)
{
    public const string Header = "Idempotency-Key";

    public async Task<IResult> WriteAsync(HttpContext http, int campaignId, Func<JsonElement, TillPayload.Parsed> parse, CancellationToken ct)
    {
        var key = http.Request.Headers[Header].ToString();
        if (!TillPayload.IsValidKey(key))
            return Results.ValidationProblem(new Dictionary<string, string[]> { [Header] = ["Send an Idempotency-Key header of 1 to 255 printable ASCII characters, unique per logical write."] });
        if (!http.Request.HasJsonContentType())
            return Results.Problem(title: "Send the body as JSON (Content-Type: application/json).", statusCode: StatusCodes.Status415UnsupportedMediaType);
        if (http.Request.ContentLength > TillPayload.MaxBodyBytes) return BodyTooLarge();
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = TillPayload.MaxBodyBytes;
        TillPayload.Parsed payload;
        try
        {
            var (document, error) = await TillPayload.ReadAsync(http.Request.Body, ct);
            if (document is null) return Results.Problem(title: "The body is not valid JSON.", detail: error, statusCode: StatusCodes.Status400BadRequest);
            using (document) payload = parse(document.RootElement);
        }
        catch (InvalidOperationException e)
        {
            // JsonDocument accepts an escaped lone surrogate ("\uDC00") that no .NET string can hold.
            return Results.Problem(title: "The body holds text that is not valid Unicode.", detail: e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return BodyTooLarge();
        }
        if (!payload.IsValid) return Results.ValidationProblem(payload.Errors);
        var inputs = payload.Entries;

        var keyId = TillApi.KeyOf(http.User);
        var establishmentId = TillApi.EstablishmentOf(http.User);
        var hash = TillPayload.Hash(campaignId, inputs);
        var actor = new Actor(http.User.FindFirstValue(ClaimTypes.NameIdentifier)!, new HashSet<string> { Roles.Merchant }, [establishmentId], null, null);
        var commands = inputs.Select(i => new LogDonation
        {
            CampaignId = campaignId, EstablishmentId = establishmentId, Amount = i.Amount, Solidons = i.Solidons, Bills = i.Bills, CollectedAt = i.CollectedAt,
            Tickets = i.Tickets ?? 0,
        }).ToList();
        var site = $"{http.Request.Scheme}://{http.Request.Host}";

        try
        {
            return await WriteOnceAsync(keyId, key, hash, actor, commands, site, ct);
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
            var extensions = new Dictionary<string, object?> { ["code"] = e.Code };
            if (e.Field is not null) extensions["errors"] = new Dictionary<string, string[]> { [e.Field] = [e.Message] };
            return Results.Problem(title: e.Message, statusCode: 422, extensions: extensions);
        }
        catch (ForbiddenException e)
        {
            return Results.Problem(title: e.Message, statusCode: 403);
        }
    }

    private async Task<IResult> WriteOnceAsync(int keyId, string key, byte[] hash, Actor actor, List<LogDonation> commands, string site, CancellationToken ct)
    {
        ledger.Check(actor, commands);
        // Each change is one entry with the tickets minted with it.
        var claim = new IdempotencyClaim(keyId, key, hash, changes => TillApi.Serialize(changes.Select(c => (Entry: c.Entries[0], c.Tickets)).Select(x => new DonationOutput(x.Entry.Id,
            x.Entry.CampaignId, x.Entry.EstablishmentId, x.Entry.Amount.Euros, x.Entry.Solidons, x.Entry.Bills, x.Entry.CollectedAt, x.Entry.LoggedAt,
            x.Tickets.Count == 0 ? null : [.. x.Tickets.Select(t => new TicketOutput(TicketCode.Format(t.Code), $"{site}/t/{t.Code}"))])).ToArray()));
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

    private static IResult BodyTooLarge() => Results.Problem(title: $"The body is larger than {TillPayload.MaxBodyBytes / 1024} KB.",
        detail: $"Send at most {TillPayload.MaxEntries} entries per batch.", statusCode: StatusCodes.Status413PayloadTooLarge);

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
