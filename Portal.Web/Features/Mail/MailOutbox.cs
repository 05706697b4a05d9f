using Microsoft.EntityFrameworkCore;
using Portal.Data;

namespace Portal.Web.Features.Mail;

/// <summary>
/// Sends what the outbox holds, oldest first, as soon as it is queued and at least every few seconds. A message the
/// server refuses is tried again after 30 s, 1, 2, 4... minutes, at most an hour apart, and kept until it goes.
/// Several nodes may run this: a message is claimed by moving its next attempt before it is sent.
/// </summary>
public sealed class MailOutbox(IDbContextFactory<PortalDbContext> dbFactory, PortalMailer mailer, TimeProvider clock, ILogger<MailOutbox> logger)
    : BackgroundService
{
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30), LongestWait = TimeSpan.FromHours(1);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private const int BatchSize = 20;
    private readonly SemaphoreSlim _wake = new(0);

    public static TimeSpan BackoffAfter(int attempts) =>
        TimeSpan.FromTicks(Math.Min(LongestWait.Ticks, FirstRetry.Ticks * (1L << Math.Min(attempts - 1, 20))));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        mailer.Queued += Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    while (await SendDueAsync(stoppingToken) == BatchSize) { }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "The mail outbox could not be read; it will be tried again");
                }
                await _wake.WaitAsync(Poll, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            mailer.Queued -= Wake;
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    /// <summary>Sends the due messages of one batch; returns how many were due.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.OutboxEmails.Where(e => e.SentAt == null && e.NextAttemptAt <= now).OrderBy(e => e.Id).Take(BatchSize).ToListAsync(ct);
        foreach (var email in due)
        {
            // Claim it: another node reading the same row sees the concurrency of this update and skips it. The claim
            // outlasts a send (MailKit gives up after two minutes), so no node takes it while this one is still sending.
            var claimedUntil = clock.GetUtcNow() + (BackoffAfter(email.Attempts + 1) > Lease ? BackoffAfter(email.Attempts + 1) : Lease);
            var claimed = await db.OutboxEmails.Where(e => e.Id == email.Id && e.SentAt == null && e.Attempts == email.Attempts)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Attempts, email.Attempts + 1).SetProperty(e => e.NextAttemptAt, claimedUntil), ct);
            if (claimed == 0) continue;
            try
            {
                await mailer.DeliverAsync(email, ct);
                // Marked at once and not cancelled by shutdown: a sent message is not sent again.
                await db.OutboxEmails.Where(e => e.Id == email.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.SentAt, clock.GetUtcNow()), CancellationToken.None);
                logger.LogInformation("E-mail {Id} '{Subject}' sent", email.Id, email.Subject);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var error = e.Message.Length > 500 ? e.Message[..500] : e.Message;
                await db.OutboxEmails.Where(x => x.Id == email.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastError, error), ct);
                logger.LogWarning("E-mail {Id} not sent (attempt {Attempt}), next try at {Next}: {Error}", email.Id, email.Attempts + 1, claimedUntil, error);
            }
        }
        return due.Count;
    }
}
