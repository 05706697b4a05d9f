using Portal.Data;

namespace Portal.Web.Features.Live;

public static class LiveExtensions
{
    public static void AddPortalLive(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<LiveOptions>(builder.Configuration.GetSection("Live"));
        builder.Services.AddSignalR();
        builder.Services.AddSingleton<SnapshotReader>();
        builder.Services.AddSingleton<ISnapshotRelay, SingleNodeRelay>();
        builder.Services.AddSingleton<CampaignFeed>();
        builder.Services.AddSingleton<IDomainEventPublisher>(sp => sp.GetRequiredService<CampaignFeed>());
    }

    public static void MapPortalLive(this WebApplication app) => app.MapHub<CampaignHub>("/hubs/campaigns");
}
