using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Community;
using Portal.Domain.Loans;
using Portal.Web.Features.Community;

namespace Portal.Web.Features.Loans;

/// <summary>
/// Once a day, reminds each structure of the hours waiting for its answer longer than Loans:ReminderDays (7 by
/// default): an entrepreneur's balance only drops once the structure confirms.
/// </summary>
public sealed class HoursReminder(IDbContextFactory<PortalDbContext> dbFactory, NotificationCenter notifications, IConfiguration configuration,
    TimeProvider clock, ILogger<HoursReminder> logger) : BackgroundService
{
    public async Task<int> RemindAsync(CancellationToken ct = default)
    {
        var before = clock.GetUtcNow().AddDays(-configuration.GetValue("Loans:ReminderDays", 7));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var waiting = await db.HoursEntries.Where(h => h.Status == HoursStatus.Pending && h.LoggedAt < before)
            .GroupBy(h => h.BeneficiaryId).Select(g => new { Structure = g.Key, Count = g.Count() }).ToListAsync(ct);
        foreach (var group in waiting)
        {
            var users = await db.Users.Where(u => u.BeneficiaryId == group.Structure).Select(u => u.Id).ToListAsync(ct);
            await notifications.NotifyAsync(users, NotificationKind.HoursWaiting, group.Count.ToString(), "structure", ct);
        }
        return waiting.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(24), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await RemindAsync(stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogError(e, "Hours reminders failed"); }
        }
    }
}
