using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Scalar.AspNetCore;

namespace Portal.Web.Features.Api;

public static class ApiExtensions
{
    public static void AddTillApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddSingleton<ApiKeyService>();
        builder.Services.AddSingleton<TillWriter>();
        builder.Services.AddHostedService<IdempotencyCleanup>();
        // The till document describes the till API alone, not the pages' form and download endpoints.
        builder.Services.AddOpenApi("till", o => o.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true);
        builder.Services.AddProblemDetails();

        var perSecond = builder.Configuration.GetValue("Api:RequestsPerSecond", 20);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // One bucket per key: a runaway till cannot starve the others.
            o.AddPolicy(TillApi.RateLimitPolicy, http => RateLimitPartition.GetTokenBucketLimiter(PartitionOf(http),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond * 2,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                }));
            o.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(title: "Too many requests for this key.", detail: "Wait for the Retry-After delay, then retry with the same Idempotency-Key.",
                    statusCode: 429).ExecuteAsync(context.HttpContext);
            };
        });
    }

    /// <summary>
    /// The key's public prefix, read from the header: the limiter runs before the API's own authentication scheme,
    /// and a forged secret with a real prefix only spends that key's budget faster. Without a key: the caller's address.
    /// </summary>
    private static string PartitionOf(HttpContext http)
    {
        var auth = http.Request.Headers.Authorization.ToString();
        var presented = auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth[7..].Trim() : http.Request.Headers["X-Api-Key"].ToString();
        var parts = presented.StartsWith(ApiKeyService.KeyStart, StringComparison.Ordinal) ? presented[ApiKeyService.KeyStart.Length..].Split('_', 2) : [];
        return parts.Length == 2 ? $"key:{parts[0]}" : $"ip:{http.Connection.RemoteIpAddress}";
    }

    public static void MapTillApiWithReference(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapTillApi();
        app.MapOpenApi("/api/openapi/{documentName}.json");
        app.MapScalarApiReference("/api/docs", o => o.WithTitle("Solidons — API des caisses").AddDocument("till", routePattern: "/api/openapi/till.json"));
    }
}

/// <summary>Idempotency records are kept two days (at least the promised 24 hours), then removed once an hour.</summary>
public sealed class IdempotencyCleanup(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<IdempotencyCleanup> logger) : BackgroundService
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(48);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                var before = clock.GetUtcNow() - KeptFor;
                var removed = await db.IdempotencyRecords.Where(r => r.CreatedAt < before).ExecuteDeleteAsync(stoppingToken);
                if (removed > 0) logger.LogInformation("Removed {Count} idempotency records older than {Hours} h", removed, KeptFor.TotalHours);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Idempotency cleanup failed; it will run again in an hour");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
