using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Identity;
using Portal.Tests.Support;
using Portal.Web.Features.Mail;

namespace Portal.Tests.Data;

/// <summary>E-mails go through the outbox: a mail server that is down fails no page, and nothing queued is lost.</summary>
public partial class MailOutboxTests
{
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<HttpResponseMessage> ForgotAsync(HttpClient client, string email)
    {
        var page = await client.GetStringAsync("/Account/ForgotPassword");
        return await client.PostAsync("/Account/ForgotPassword", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value, ["_handler"] = "forgot-password", ["Input.Email"] = email,
        }));
    }

    [Fact]
    public async Task With_the_mail_server_down_forgot_password_answers_as_for_an_unknown_address_and_the_mail_waits_in_the_outbox()
    {
        var folder = Directory.CreateTempSubdirectory("solidons-outbox-").FullName;
        var smtpDown = new Dictionary<string, string> { ["Email:Smtp:Host"] = "127.0.0.1", ["Email:Smtp:Port"] = ClosedPort().ToString(), ["Email:Smtp:Ssl"] = "false" };
        string email;
        await using (var app = new CustomPortalFactory(folder, smtpDown))
        {
            await ((IAsyncLifetime)app).InitializeAsync();
            email = $"ana-{Guid.NewGuid():N}@test.fr";
            await TestWorld.UserAsync(app, email, Roles.Contributor);
            using var client = app.CreateHttpClient(followRedirects: false);

            var known = await ForgotAsync(client, email);
            var unknown = await ForgotAsync(client, $"nobody-{Guid.NewGuid():N}@test.fr");

            Assert.Equal(HttpStatusCode.Redirect, known.StatusCode);
            Assert.Equal((unknown.StatusCode, unknown.Headers.Location), (known.StatusCode, known.Headers.Location));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            Portal.Data.OutboxEmail? row;
            do
            {
                await using var db = app.CreateDbContext();
                row = await db.OutboxEmails.AsNoTracking().SingleAsync();
                if (row.LastError is null) await Task.Delay(25);
            } while (row.LastError is null && DateTime.UtcNow < deadline);
            Assert.Equal(email, row.To);
            Assert.Null(row.SentAt);
            Assert.Equal(1, row.Attempts);
            Assert.NotNull(row.LastError);
            Assert.True(row.NextAttemptAt > DateTimeOffset.UtcNow.AddSeconds(20), "the next attempt backs off");
        }

        // The node restarts with a working delivery (the pickup folder here): the waiting message goes, once.
        await using (var app = new CustomPortalFactory(folder, new Dictionary<string, string>()))
        {
            await ((IAsyncLifetime)app).InitializeAsync();
            await using (var db = app.CreateDbContext())
                await db.OutboxEmails.ExecuteUpdateAsync(s => s.SetProperty(e => e.NextAttemptAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
            // The worker writes the file, then marks the row sent in its own commit: wait for that commit, then read the file whole.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            DateTimeOffset? sentAt;
            do
            {
                await using var check = app.CreateDbContext();
                sentAt = (await check.OutboxEmails.AsNoTracking().SingleAsync()).SentAt;
                if (sentAt is null) await Task.Delay(25);
            } while (sentAt is null && DateTime.UtcNow < deadline);
            Assert.NotNull(sentAt);
            var mail = Assert.Single(await app.NewMailAsync(new HashSet<string>()));
            Assert.Contains(email, await File.ReadAllTextAsync(mail));
        }
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(5, 480)]
    [InlineData(8, 3600)]
    [InlineData(40, 3600)]
    public void Retries_back_off_from_thirty_seconds_to_an_hour(int attempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), MailOutbox.BackoffAfter(attempts));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
