namespace Portal.Web.Features.Gatherings;

public static class GatheringsRegistration
{
    public static IServiceCollection AddGatherings(this IServiceCollection services)
    {
        services.AddSingleton<GroupService>();
        services.AddSingleton<EventService>();
        services.AddHostedService(sp => sp.GetRequiredService<EventService>());
        services.AddSingleton<GatheringQueries>();
        services.AddSingleton<Calendars>();
        return services;
    }
}
