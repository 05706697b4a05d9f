using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Portal.Data;

namespace Portal.Web.Hosting;

/// <summary>
/// What running several nodes needs: one Data Protection key ring in the database, health endpoints for the load
/// balancer, and OpenTelemetry metrics and traces.
/// </summary>
public static class Operations
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string MetricsPath = "/metrics";

    public static void AddPortalOperations(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Sign-in cookies, antiforgery tokens and reset links are protected with keys every node reads from the
        // database, so a visitor sent to another node, or back after a restart, stays signed in.
        services.AddDataProtection().SetApplicationName("Solidons").PersistKeysToDbContext<PortalDbContext>();

        var health = services.AddHealthChecks()
            .AddDbContextCheck<PortalDbContext>("database", tags: ["ready"])
            .AddCheck<ShutdownCheck>("shutdown", tags: ["ready"]);
        // Without Redis a node still serves its own visitors and takes writes: degraded, not out of the pool.
        if (builder.Configuration["Live:Redis"] is { Length: > 0 } redis)
            health.AddRedis(redis, "redis", HealthStatus.Degraded, ["ready"], TimeSpan.FromSeconds(2));

        services.AddScoped<CircuitHandler, CircuitCounter>();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("solidons-portal", serviceInstanceId: builder.Configuration["Telemetry:Node"] ?? Environment.MachineName))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.Components",
                    "Microsoft.AspNetCore.Components.Server.Circuits", "Microsoft.EntityFrameworkCore", "Npgsql", PortalMetrics.Name)
                .AddPrometheusExporter());
        // Traces cost every request a little: on only when there is somewhere to send them.
        if (builder.Configuration["Telemetry:OtlpEndpoint"] is { Length: > 0 } otlp)
        {
            telemetry.WithTracing(t => t.AddAspNetCoreInstrumentation().AddEntityFrameworkCoreInstrumentation()
                .AddSource("Microsoft.AspNetCore.SignalR.Server", "Npgsql"));
            telemetry.UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.Grpc, new Uri(otlp));
        }
    }

    /// <summary>
    /// A key exists before the first visitor: nodes started one after the other all read the first node's key,
    /// rather than each making its own at its first request.
    /// </summary>
    public static void EnsureDataProtectionKey(this IServiceProvider services) =>
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Solidons.Startup").Protect([1]);

    /// <summary>Read by the Prometheus scraper of the machine itself, never from outside: the figures say how busy each campaign is.</summary>
    public static void UsePortalMetricsEndpoint(this WebApplication app) =>
        app.UseOpenTelemetryPrometheusScrapingEndpoint(http => http.Request.Path == MetricsPath
            && http.Connection.RemoteIpAddress is { } from && IPAddress.IsLoopback(from));

    public static void MapPortalHealth(this WebApplication app)
    {
        // Live: the process answers. Ready: the database answers and the node is not shutting down (Redis may be away).
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false }).ExcludeFromDescription();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteAsync })
            .ExcludeFromDescription();
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        });
    }

    /// <summary>Out of the pool as soon as shutdown starts, while the node finishes what it has in hand.</summary>
    private sealed class ShutdownCheck(IHostApplicationLifetime lifetime) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
                ? HealthCheckResult.Unhealthy("The node is shutting down.") : HealthCheckResult.Healthy());
    }

    private sealed class CircuitCounter : CircuitHandler
    {
        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            PortalMetrics.CircuitsOpen.Add(1);
            return Task.CompletedTask;
        }

        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            PortalMetrics.CircuitsOpen.Add(-1);
            return Task.CompletedTask;
        }
    }
}
