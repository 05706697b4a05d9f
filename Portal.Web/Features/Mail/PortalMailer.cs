using System.Net.Mail;

namespace Portal.Web.Features.Mail;

/// <summary>
/// Sends the portal's e-mails. With Email:Smtp:Host set it uses that server; otherwise (Development, tests) each
/// message is written as an .eml file to Email:PickupFolder, where it can be opened like a real e-mail.
/// </summary>
public sealed class PortalMailer(IConfiguration configuration, IHostEnvironment environment, ILogger<PortalMailer> logger)
{
    private readonly string _from = configuration["Email:From"] ?? "Solidons <ne-pas-repondre@solidons.fr>";
    private readonly string? _smtpHost = configuration["Email:Smtp:Host"];
    private readonly int _smtpPort = configuration.GetValue("Email:Smtp:Port", 587);

    public string PickupFolder { get; } =
        Path.GetFullPath(configuration["Email:PickupFolder"] ?? "App_Data/mail", environment.ContentRootPath);

    public async Task SendAsync(string to, string subject, string htmlBody, CancellationToken cancellationToken = default)
    {
        using var message = new MailMessage(new MailAddress(_from).Address, to, subject, htmlBody) { IsBodyHtml = true };
        message.From = new MailAddress(_from);
        using var client = CreateClient();
        await client.SendMailAsync(message, cancellationToken);
        logger.LogInformation("E-mail '{Subject}' sent", subject);
    }

    private SmtpClient CreateClient()
    {
        if (!string.IsNullOrWhiteSpace(_smtpHost))
            return new SmtpClient(_smtpHost, _smtpPort)
            {
                EnableSsl = configuration.GetValue("Email:Smtp:Ssl", true),
                Credentials = new System.Net.NetworkCredential(configuration["Email:Smtp:User"], configuration["Email:Smtp:Password"]),
            };
        Directory.CreateDirectory(PickupFolder);
        return new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = PickupFolder };
    }
}
