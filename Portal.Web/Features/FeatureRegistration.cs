using Portal.Web.Features.Campaigns;
using Portal.Web.Features.Community;
using Portal.Web.Features.Demo;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Votes;

namespace Portal.Web.Features;

public static class FeatureRegistration
{
    public static IServiceCollection AddPortalFeatures(this IServiceCollection services)
    {
        // Stateless services over IDbContextFactory: one DbContext per operation, safe to share.
        services.AddSingleton<ActorResolver>();
        services.AddSingleton<CampaignLifecycle>();
        services.AddSingleton<LedgerCommits>();
        services.AddSingleton<DonationLedger>();
        services.AddSingleton<RemittanceService>();
        services.AddSingleton<VoteService>();
        services.AddSingleton<Tickets.TicketThrottle>();
        services.AddSingleton<Tickets.TicketDesk>();
        services.AddSingleton<Loans.LoanService>();
        services.AddSingleton<Loans.LoanQueries>();
        services.AddSingleton<Loans.LoanUpdates>();
        services.AddSingleton<Loans.LoanAdministration>();
        services.AddSingleton<Loans.HoursReminder>();
        services.AddHostedService(sp => sp.GetRequiredService<Loans.HoursReminder>());
        services.AddSingleton<Data.IDomainEventPublisher>(sp => sp.GetRequiredService<Loans.LoanUpdates>());
        services.AddSingleton<Admin.AdminQueries>();
        services.AddSingleton<Admin.ReconciliationQuery>();
        services.AddSingleton<Admin.Catalog>();
        services.AddSingleton<Admin.Accounts>();
        services.AddSingleton<Transparency.ChainOfFundsQuery>();
        services.AddSingleton<PublicQueries>();
        services.AddSingleton<LedgerReconciliation>();
        services.AddSingleton<Merchant.MerchantQueries>();
        services.AddSingleton<Merchant.TillCsv>();
        services.AddScoped<DemoData>();
        services.AddCommunity();
        Gatherings.GatheringsRegistration.AddGatherings(services);
        return services;
    }
}
