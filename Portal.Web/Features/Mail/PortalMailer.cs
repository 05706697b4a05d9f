using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Portal.Data;

namespace Portal.Web.Features.Mail;

/// <summary>
/// The portal's e-mails go through an outbox: <see cref="Queue"/> adds a row to the caller's own transaction,
/// <see cref="QueueAsync"/> commits one alone, and <see cref="MailOutbox"/> delivers. With Email:Smtp:Host set it
/// delivers over SMTP with MailKit; otherwise (Development, tests) each message is written as an .eml file to
/// Email:PickupFolder, where it can be opened like a real e-mail.
/// </summary>
public sealed class PortalMailer(IConfiguration configuration, IHostEnvironment environment, IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock)
{
    private readonly MailboxAddress _from = MailboxAddress.Parse(configuration["Email:From"] ?? "Solidons <ne-pas-repondre@solidons.fr>");
    private readonly string? _smtpHost = configuration["Email:Smtp:Host"];
    private readonly int _smtpPort = configuration.GetValue("Email:Smtp:Port", 587);
    private readonly bool _smtpSsl = configuration.GetValue("Email:Smtp:Ssl", true);

    /// <summary>Raised when a message is queued, so the worker sends it at once rather than at its next poll.</summary>
    public event Action? Queued;

    public string PickupFolder { get; } =
        Path.GetFullPath(configuration["Email:PickupFolder"] ?? "App_Data/mail", environment.ContentRootPath);

    /// <summary>Adds the message to <paramref name="db"/>: it is sent once the caller's SaveChanges commits.</summary>
    public void Queue(PortalDbContext db, string to, string subject, string htmlBody)
    {
        var now = clock.GetUtcNow();
        db.OutboxEmails.Add(new OutboxEmail { To = to, Subject = subject, HtmlBody = htmlBody, QueuedAt = now, NextAttemptAt = now });
        db.SavedChanges += (_, _) =>
        {
            Portal.Data.PortalMetrics.EmailsQueued.Add(1);
            Queued?.Invoke();
        };
    }

    public async Task QueueAsync(string to, string subject, string htmlBody, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        Queue(db, to, subject, htmlBody);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Delivers one message now; throws when the server or the folder refuses it (the worker retries).</summary>
    internal async Task DeliverAsync(OutboxEmail email, CancellationToken cancellationToken)
    {
        var message = new MimeMessage { Subject = email.Subject, MessageId = $"outbox-{email.Id}@solidons" };
        message.From.Add(_from);
        message.To.Add(MailboxAddress.Parse(email.To));
        // Quoted-printable keeps the French text readable in the .eml files of Development.
        message.Body = new TextPart(MimeKit.Text.TextFormat.Html) { Text = email.HtmlBody, ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        if (string.IsNullOrWhiteSpace(_smtpHost))
        {
            Directory.CreateDirectory(PickupFolder);
            // Named by the outbox id: a retry after a crash between writing and marking sent rewrites the same file.
            await message.WriteToAsync(Path.Combine(PickupFolder, $"{email.Id:D10}.eml"), cancellationToken);
            return;
        }
        using var smtp = new SmtpClient();
        // With Ssl the connection is encrypted or refused: "when available" would let a man in the middle strip it.
        var security = !_smtpSsl ? SecureSocketOptions.None : _smtpPort == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        await smtp.ConnectAsync(_smtpHost, _smtpPort, security, cancellationToken);
        if (configuration["Email:Smtp:User"] is { Length: > 0 } user)
            await smtp.AuthenticateAsync(user, configuration["Email:Smtp:Password"] ?? "", cancellationToken);
        await smtp.SendAsync(message, cancellationToken);
        // Sent: a failure to say goodbye must not make the worker send it again.
        try { await smtp.DisconnectAsync(true, CancellationToken.None); } catch (Exception) { /* the server has the message */ }
    }
}
