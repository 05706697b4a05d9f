using System.Text.Encodings.Web;
using FluentValidation;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Portal.Data;
using Portal.Domain.Common;
using Portal.Domain.Community;
using Portal.Web.Features.Mail;

namespace Portal.Web.Features.Community;

public sealed class EmailFollowInput
{
    public string Email { get; set; } = "";
}

public sealed class EmailFollowInputValidator : AbstractValidator<EmailFollowInput>
{
    public EmailFollowInputValidator(IStringLocalizer<SharedResource> L) =>
        RuleFor(x => x.Email).NotEmpty().WithMessage(_ => L["Val.EmailRequired"])
            .MaximumLength(EmailFollow.MaxEmailLength).WithMessage(_ => L["Val.EmailInvalid"])
            .EmailAddress().WithMessage(_ => L["Val.EmailInvalid"]);
}

/// <summary>
/// Follows by e-mail alone. The links in the mails carry the follow's id protected by the portal's Data Protection
/// keys (shared by every node): nothing secret is stored, a confirmation link lasts a week, a stop link for good.
/// </summary>
public sealed class EmailFollows(IDbContextFactory<PortalDbContext> dbFactory, PortalMailer mailer, IDataProtectionProvider protection,
    IValidator<EmailFollowInput> validator, IStringLocalizer<SharedResource> L, TimeProvider clock)
{
    /// <summary>Requests for one address in an hour, whatever the project: a form cannot be used to flood someone's mailbox.</summary>
    public const int RequestsPerHourPerAddress = 3;

    private readonly ITimeLimitedDataProtector _confirm = protection.CreateProtector("Solidons.EmailFollow.Confirm").ToTimeLimitedDataProtector();
    private readonly IDataProtector _stop = protection.CreateProtector("Solidons.EmailFollow.Stop");

    /// <summary>
    /// Mails a confirmation link to <paramref name="input"/>'s address. The answer is the same whether or not the address
    /// already follows the project, so the form tells no one who follows what.
    /// </summary>
    public async Task RequestAsync(EmailFollowInput input, int projectId, Uri portal, CancellationToken ct = default)
    {
        await validator.ValidateAndThrowAsync(input, ct);
        var now = clock.GetUtcNow();
        var email = input.Email.Trim().ToLowerInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await db.Projects.Where(p => p.Id == projectId).Select(p => p.Name).SingleOrDefaultAsync(ct)
            ?? throw new DomainException("project.not_found", "This project does not exist.");
        if (await db.EmailFollows.CountAsync(f => f.Email == email && f.RequestedAt > now.AddHours(-1), ct) >= RequestsPerHourPerAddress)
            throw new DomainException("follow.rate", "Too many requests for this address: try again in an hour.");
        if (await db.EmailFollows.AnyAsync(f => f.Email == email && f.ProjectId == projectId && f.ConfirmedAt != null && f.StoppedAt == null, ct)) return;
        var follow = new EmailFollow(email, projectId, portal.AbsoluteUri, now);
        db.EmailFollows.Add(follow);
        await db.SaveChangesAsync(ct);
        var link = new Uri(portal, $"suivre/{_confirm.Protect(follow.Id.ToString(), TimeSpan.FromDays(7))}").AbsoluteUri;
        mailer.Queue(db, email, L["Follow.MailSubject", project],
            $"<p>{Html(L["Follow.MailBody", project])}</p><p><a href=\"{Html(link)}\">{Html(L["Follow.MailConfirm"])}</a></p><p>{Html(L["Follow.MailIgnore"])}</p>");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Confirms the follow behind a confirmation link; the project's name, or null for a link that is forged, expired or stopped.</summary>
    public async Task<string?> ConfirmAsync(string token, CancellationToken ct = default)
    {
        if (Unprotect(_confirm, token) is not { } id) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var follow = await db.EmailFollows.SingleOrDefaultAsync(f => f.Id == id, ct);
        if (follow is null || follow.StoppedAt is not null) return null;
        follow.Confirm(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return await db.Projects.Where(p => p.Id == follow.ProjectId).Select(p => p.Name).SingleAsync(ct);
    }

    /// <summary>Stops the follow behind a stop link; the project's name, or null for a forged link.</summary>
    public async Task<string?> StopAsync(string token, CancellationToken ct = default)
    {
        if (Unprotect(_stop, token) is not { } id) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var follow = await db.EmailFollows.SingleOrDefaultAsync(f => f.Id == id, ct);
        if (follow is null) return null;
        follow.Stop(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return await db.Projects.Where(p => p.Id == follow.ProjectId).Select(p => p.Name).SingleAsync(ct);
    }

    /// <summary>Queues, in <paramref name="db"/>'s transaction, a project's news to every address that follows it, each with its stop link.</summary>
    public async Task QueueNewsAsync(PortalDbContext db, int projectId, string projectName, string projectSlug, string title, CancellationToken ct)
    {
        var followers = await db.EmailFollows.Where(f => f.ProjectId == projectId && f.ConfirmedAt != null && f.StoppedAt == null).ToListAsync(ct);
        // An address that confirmed two requests gets the news once.
        foreach (var follow in followers.GroupBy(f => f.Email).Select(g => g.OrderBy(f => f.Id).First()))
        {
            var site = new Uri(follow.Site);
            var stop = new Uri(site, $"suivre/arret/{_stop.Protect(follow.Id.ToString())}").AbsoluteUri;
            mailer.Queue(db, follow.Email, L["Follow.NewsSubject", projectName, title],
                $"<p>{Html(L["Follow.NewsBody", projectName, title])}</p><p><a href=\"{Html(new Uri(site, $"projets/{projectSlug}").AbsoluteUri)}\">{Html(projectName)}</a></p>" +
                $"<p><a href=\"{Html(stop)}\">{Html(L["Follow.MailStop"])}</a></p>");
        }
    }

    private static long? Unprotect(IDataProtector protector, string token)
    {
        try
        {
            return long.TryParse(protector.Unprotect(token), out var id) ? id : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private static string Html(string text) => HtmlEncoder.Default.Encode(text);
}
