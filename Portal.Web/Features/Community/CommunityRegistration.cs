namespace Portal.Web.Features.Community;

public static class CommunityRegistration
{
    public static IServiceCollection AddCommunity(this IServiceCollection services)
    {
        services.AddSingleton<MarkdownRenderer>();
        services.AddSingleton<UserBadges>();
        services.AddSingleton<NotificationCenter>();
        services.AddSingleton<Data.IDomainEventPublisher>(sp => sp.GetRequiredService<NotificationCenter>());
        services.AddHostedService(sp => sp.GetRequiredService<NotificationCenter>());
        services.AddHostedService<DigestSender>();
        services.AddSingleton<CommunityService>();
        services.AddSingleton<EmailFollows>();
        services.AddSingleton<CommunityQueries>();
        return services;
    }
}
