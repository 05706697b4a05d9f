using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Portal.Data.Identity;

namespace Portal.Web.Features.Mail;

/// <summary>Identity's messages (confirmation, password reset) through the portal's one mailer, in the user's language.</summary>
public sealed class IdentityEmailSender(PortalMailer mailer, IStringLocalizer<SharedResource> L) : IEmailSender<PortalUser>
{
    public Task SendConfirmationLinkAsync(PortalUser user, string email, string confirmationLink) =>
        mailer.QueueAsync(email, L["Mail.ConfirmSubject"], Body(user, L["Mail.ConfirmBody"], confirmationLink));

    public Task SendPasswordResetLinkAsync(PortalUser user, string email, string resetLink) =>
        mailer.QueueAsync(email, L["Mail.ResetSubject"], Body(user, L["Mail.ResetBody"], resetLink));

    public Task SendPasswordResetCodeAsync(PortalUser user, string email, string resetCode) =>
        mailer.QueueAsync(email, L["Mail.ResetSubject"], $"<p>{HtmlEncoder.Default.Encode(L["Mail.ResetCode"])} {HtmlEncoder.Default.Encode(resetCode)}</p>");

    internal static string Body(PortalUser user, string text, string link) =>
        $"<p>{HtmlEncoder.Default.Encode(user.DisplayName)},</p><p>{HtmlEncoder.Default.Encode(text)}</p>" +
        $"<p><a href=\"{HtmlEncoder.Default.Encode(link)}\">{HtmlEncoder.Default.Encode(link)}</a></p>";
}
