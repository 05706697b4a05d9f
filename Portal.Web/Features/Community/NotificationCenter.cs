using Portal.Web.Components.Shared;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Community;
using Portal.Domain.Loans;
using Portal.Web.Features.Mail;

namespace Portal.Web.Features.Community;

/// <summary>
/// In-app notifications, live badges and e-mails (at once, daily digest, or none, as each user chose). Domain events
/// arrive after commit and are handled off the writer's path, on a background loop.
/// </summary>
public sealed class NotificationCenter(
    IDbContextFactory<PortalDbContext> dbFactory,
    UserBadges badges,
    PortalMailer mailer,
    IStringLocalizer<SharedResource> L,
    TimeProvider clock,
    ILogger<NotificationCenter> logger) : BackgroundService, IDomainEventPublisher
{
    private readonly Channel<IDomainEvent> _events = Channel.CreateUnbounded<IDomainEvent>(new() { SingleReader = true });

    public void Publish(IReadOnlyList<IDomainEvent> events)
    {
        foreach (var e in events.Where(e => e is CampaignStatusChanged or HoursConfirmed or HoursDisputed)) _events.Writer.TryWrite(e);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(stoppingToken))
        {
            try { await HandleAsync(e, stoppingToken); }
            catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogError(ex, "Notification for {Event} failed", e); }
        }
    }

    private async Task HandleAsync(IDomainEvent e, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        switch (e)
        {
            case CampaignStatusChanged { Status: CampaignStatus.Closed or CampaignStatus.Allocated } s:
                var campaign = await db.Campaigns.IgnoreAutoIncludes().Where(c => c.Id == s.CampaignId).Select(c => new { c.Name, c.Slug }).SingleAsync(ct);
                var followers = await db.Follows.Where(f => f.Kind == FollowKind.Campaign && f.TargetId == s.CampaignId).Select(f => f.UserId).ToListAsync(ct);
                await NotifyAsync(followers, s.Status == CampaignStatus.Closed ? NotificationKind.CampaignClosed : NotificationKind.CampaignAllocated,
                    campaign.Name, $"campagnes/{campaign.Slug}", ct);
                break;
            case HoursConfirmed or HoursDisputed:
                var (loanId, entryId) = e switch
                {
                    HoursConfirmed c => (c.LoanId, c.EntryId),
                    HoursDisputed d => (d.LoanId, d.EntryId),
                    _ => throw new InvalidOperationException(),
                };
                var projectId = await db.Loans.Where(l => l.Id == loanId).Select(l => l.ProjectId).SingleAsync(ct);
                var entrepreneurs = await db.Users.Where(u => u.ProjectId == projectId).Select(u => u.Id).ToListAsync(ct);
                var structure = await db.HoursEntries.Where(h => h.Id == entryId).Join(db.Beneficiaries, h => h.BeneficiaryId, b => b.Id, (_, b) => b.Name).SingleAsync(ct);
                await NotifyAsync(entrepreneurs, e is HoursConfirmed ? NotificationKind.HoursConfirmed : NotificationKind.HoursDisputed, structure, "entrepreneur", ct);
                break;
        }
    }

    /// <summary>Records a notification for each user, refreshes their badges, and e-mails those who asked for it at once.</summary>
    public async Task NotifyAsync(IReadOnlyCollection<string> userIds, NotificationKind kind, string subject, string url, CancellationToken ct = default)
    {
        if (userIds.Count == 0) return;
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var notifications = userIds.Distinct().Select(id => new Notification(id, kind, subject, url, now)).ToList();
        db.Notifications.AddRange(notifications);
        await db.SaveChangesAsync(ct);
        Portal.Data.PortalMetrics.NotificationsQueued.Add(notifications.Count);
        foreach (var userId in userIds.Distinct()) await badges.NotifyAsync(userId);

        var immediate = await db.Users.Where(u => userIds.Contains(u.Id) && u.EmailPreference == EmailPreference.Immediate && u.Email != null)
            .Select(u => new { u.Id, u.Email, u.Culture, u.DisplayName }).ToListAsync(ct);
        foreach (var user in immediate)
        {
            using var _ = new CultureScope(user.Culture);
            var notification = notifications.Single(n => n.UserId == user.Id);
            Queue(db, user.Email!, L["Mail.NotificationSubject", Describe(notification)], [notification]);
            notification.EmailedAt = now;
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>One e-mail per user who chose the daily digest, gathering what they have not been e-mailed yet.</summary>
    public async Task<int> SendDigestsAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pending = await db.Notifications.Where(n => n.EmailedAt == null)
            .Join(db.Users.Where(u => u.EmailPreference == EmailPreference.DailyDigest && u.Email != null), n => n.UserId, u => u.Id, (n, u) => new { n, u.Email, u.Culture })
            .ToListAsync(ct);
        var sent = 0;
        foreach (var group in pending.GroupBy(p => p.n.UserId))
        {
            using var _ = new CultureScope(group.First().Culture);
            Queue(db, group.First().Email!, L["Mail.DigestSubject", group.Count()], [.. group.Select(p => p.n)]);
            foreach (var p in group) p.n.EmailedAt = now;
            sent++;
        }
        await db.SaveChangesAsync(ct);
        return sent;
    }

    // A count (hours waiting) takes its singular or plural; other subjects are names.
    public string Describe(Notification n) => n.Kind == NotificationKind.HoursWaiting && long.TryParse(n.Subject, out var count)
        ? L.Count($"Notify.{n.Kind}", count, n.Subject)
        : L[$"Notify.{n.Kind}", n.Subject];

    // Queued in the transaction that marks the notifications e-mailed: both happen, or neither.
    private void Queue(PortalDbContext db, string to, string subject, IReadOnlyList<Notification> items) =>
        mailer.Queue(db, to, subject,
            "<ul>" + string.Concat(items.Select(n => $"<li>{HtmlEncoder.Default.Encode(Describe(n))}</li>")) + "</ul>" +
            $"<p>{HtmlEncoder.Default.Encode(L["Mail.Settings"])}</p>");

    private sealed class CultureScope : IDisposable
    {
        private readonly CultureInfo _before = CultureInfo.CurrentUICulture;

        public CultureScope(string culture) => CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture == "en" ? "en-GB" : "fr-FR");

        public void Dispose() => CultureInfo.CurrentUICulture = _before;
    }
}

/// <summary>Sends the daily digests once an hour picks up what is due.</summary>
public sealed class DigestSender(NotificationCenter center, TimeProvider clock, ILogger<DigestSender> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(24), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { logger.LogInformation("Sent {Count} notification digests", await center.SendDigestsAsync(stoppingToken)); }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogError(e, "Digest sending failed"); }
        }
    }
}
