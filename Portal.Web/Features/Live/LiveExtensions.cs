using Portal.Data;

namespace Portal.Web.Features.Live;

public static class LiveExtensions
{
    /// <summary>
    /// The live path. With Live:Redis set, each node gets the other nodes' snapshots through
    /// <see cref="RedisSnapshotRelay"/> and shows them to its own circuits and hub clients; one node needs nothing more.
    /// No SignalR backplane: it would subscribe a Redis channel per connection and make every group send wait on Redis.
    /// </summary>
    public static void AddPortalLive(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Live");
        builder.Services.Configure<LiveOptions>(section);
        builder.Services.AddSignalR();
        if (!string.IsNullOrWhiteSpace(section["Redis"]))
        {
            builder.Services.AddSingleton<RedisSnapshotRelay>();
            builder.Services.AddSingleton<ISnapshotRelay>(sp => sp.GetRequiredService<RedisSnapshotRelay>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<RedisSnapshotRelay>());
        }
        else
        {
            builder.Services.AddSingleton<ISnapshotRelay, SingleNodeRelay>();
        }
        builder.Services.AddSingleton<SnapshotReader>();
        builder.Services.AddSingleton<CampaignFeed>();
        builder.Services.AddSingleton<IDomainEventPublisher>(sp => sp.GetRequiredService<CampaignFeed>());
    }

    public static void MapPortalLive(this WebApplication app) => app.MapHub<CampaignHub>("/hubs/campaigns");
}
