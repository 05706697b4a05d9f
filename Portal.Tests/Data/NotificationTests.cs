using Microsoft.EntityFrameworkCore;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Community;
using Portal.Domain.Loans;
using Portal.Tests.Support;
using Portal.Web.Features.Campaigns;
using Portal.Web.Features.Community;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Loans;
using Portal.Web.Features.Votes;

namespace Portal.Tests.Data;

public class NotificationTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    [Fact]
    public async Task Followers_are_told_when_a_campaign_closes_and_digest_readers_get_one_email()
    {
        var w = await TestWorld.CreateAsync(app);
        var ana = await w.ContributorAsync(app);
        await app.Get<CommunityService>().ToggleFollowAsync(ana, FollowKind.Campaign, w.CampaignId);
        await using (var db = app.CreateDbContext())
            await db.Users.Where(u => u.Id == ana.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailPreference, EmailPreference.DailyDigest));

        await app.Get<CampaignLifecycle>().CloseAsync(w.Admin, w.CampaignId, 1);

        // Campaign events are handled off the writer's path: wait for the notification, then send the digest.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        Notification? notification = null;
        while (notification is null && DateTime.UtcNow < deadline)
        {
            await using var db = app.CreateDbContext();
            notification = await db.Notifications.SingleOrDefaultAsync(n => n.UserId == ana.UserId);
            if (notification is null) await Task.Delay(50);
        }
        Assert.NotNull(notification);
        Assert.Equal(NotificationKind.CampaignClosed, notification!.Kind);
        Assert.Null(notification.EmailedAt);

        var before = app.MailFiles();
        Assert.True(await app.Get<NotificationCenter>().SendDigestsAsync() >= 1);
        Assert.Single(await app.NewMailAsync(before));
        await using var check = app.CreateDbContext();
        Assert.NotNull((await check.Notifications.SingleAsync(n => n.Id == notification.Id)).EmailedAt);
    }

    [Fact]
    public async Task Structures_are_reminded_of_hours_waiting_longer_than_the_configured_days()
    {
        var w = await TestWorld.CreateAsync(app, AllocationRule.WinnerTakesAll);
        await app.Get<DonationLedger>().LogAsync(w.MerchantA, new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 40, Solidons = 20 });
        await app.Get<VoteService>().CastAsync(await w.ContributorAsync(app), new CastVote(w.CampaignId, w.ProjectA, null));
        var lifecycle = app.Get<CampaignLifecycle>();
        await lifecycle.CloseAsync(w.Admin, w.CampaignId, 1);
        await lifecycle.AllocateAsync(w.Admin, w.CampaignId, 2);
        var loanId = (await app.Get<CampaignLifecycle>().DisburseAsync(w.Admin, w.CampaignId, 3, DateOnly.FromDateTime(DateTime.Today).AddDays(-30))).Single();
        int structure;
        await using (var db = app.CreateDbContext())
        {
            var s = new Portal.Domain.Projects.BeneficiaryStructure($"Structure {Guid.NewGuid():N}", "Lyon", "Mission");
            db.Beneficiaries.Add(s);
            await db.SaveChangesAsync();
            structure = s.Id;
        }
        var admin = app.Get<LoanAdministration>();
        await admin.SetPlanAsync(w.Admin, loanId, 0, new PlanInput { CashShare = 0, HourlyRate = 10, Installments = 1, MonthsBetween = 6 });
        await admin.CommitAsync(w.Admin, loanId, 1, structure, "Cuisine", 4);
        int commitment;
        await using (var db = app.CreateDbContext())
            commitment = (await db.Loans.SingleAsync(l => l.Id == loanId)).Commitments.Single().Id;
        var entrepreneur = await TestWorld.UserAsync(app, $"e-{Guid.NewGuid():N}@t.fr", Roles.Entrepreneur, projectId: w.ProjectA);
        var receiver = await TestWorld.UserAsync(app, $"s-{Guid.NewGuid():N}@t.fr", Roles.Beneficiary, beneficiaryId: structure);
        var old = await app.Get<LoanService>().LogHoursAsync(entrepreneur, new LogHours { LoanId = loanId, CommitmentId = commitment, WorkedOn = DateTime.Today.AddDays(-12), Hours = 1, Description = "Vieux" });
        await app.Get<LoanService>().LogHoursAsync(entrepreneur, new LogHours { LoanId = loanId, CommitmentId = commitment, WorkedOn = DateTime.Today, Hours = 1, Description = "Récent" });
        await using (var db = app.CreateDbContext())
            await db.HoursEntries.Where(h => h.Id == old.Id).ExecuteUpdateAsync(s => s.SetProperty(h => h.LoggedAt, DateTimeOffset.UtcNow.AddDays(-10)));

        await app.Get<HoursReminder>().RemindAsync();

        await using var check = app.CreateDbContext();
        var reminder = await check.Notifications.SingleAsync(n => n.UserId == receiver.UserId && n.Kind == NotificationKind.HoursWaiting);
        Assert.Equal("1", reminder.Subject);
    }
}
