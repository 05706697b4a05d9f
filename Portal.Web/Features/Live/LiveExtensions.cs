using Portal.Data;
using StackExchange.Redis;

namespace Portal.Web.Features.Live;

public static class LiveExtensions
{
    /// <summary>
    /// The live path. With Live:Redis set, hub clients of every node share the SignalR Redis backplane and Blazor
    /// circuits get other nodes' snapshots through <see cref="RedisSnapshotRelay"/>; without it, one node needs nothing more.
    /// </summary>
    public static void AddPortalLive(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Live");
        builder.Services.Configure<LiveOptions>(section);
        var signalR = builder.Services.AddSignalR();
        var redis = section["Redis"];
        if (!string.IsNullOrWhiteSpace(redis))
        {
            signalR.AddStackExchangeRedis(redis, o =>
            {
                o.Configuration.ChannelPrefix = RedisChannel.Literal("solidons-hub");
                o.Configuration.AbortOnConnectFail = false;
            });
            builder.Services.AddSingleton<RedisSnapshotRelay>();
            builder.Services.AddSingleton<ISnapshotRelay>(sp => sp.GetRequiredService<RedisSnapshotRelay>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<RedisSnapshotRelay>());
        }
        else
        {
            builder.Services.AddSingleton<ISnapshotRelay, SingleNodeRelay>();
        }
        builder.Services.AddSingleton<SnapshotReader>();
        builder.Services.AddSingleton<HubMembers>();
        builder.Services.AddSingleton<CampaignFeed>();
        builder.Services.AddSingleton<IDomainEventPublisher>(sp => sp.GetRequiredService<CampaignFeed>());
    }

    public static void MapPortalLive(this WebApplication app) => app.MapHub<CampaignHub>("/hubs/campaigns");
}
