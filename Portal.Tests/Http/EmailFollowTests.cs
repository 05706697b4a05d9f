using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Identity;
using Portal.Tests.Support;
using Portal.Web.Features.Community;

namespace Portal.Tests.Http;

/// <summary>Following a project by e-mail alone after a ticket vote: double opt-in, news by mail, a stop link that asks first.</summary>
public partial class EmailFollowTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    private static string Decoded(string file) =>
        WebUtility.HtmlDecode(Regex.Replace(File.ReadAllText(file).Replace("=\r\n", "").Replace("=\n", ""), "=([0-9A-F]{2})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString()));

    [GeneratedRegex("http://127\\.0\\.0\\.1:\\d+/suivre/[^\"<\\s]+")]
    private static partial Regex FollowLink();

    private async Task<(TestWorld World, string Code, HttpClient Phone)> VotedAsync()
    {
        var (w, till) = await TicketTests.TillAsync(app);
        var (code, _) = (await TicketTests.TicketsAsync(till, w.CampaignId, 1))[0];
        var phone = app.CreateHttpClient();
        await AccountFormsTests.PostFormAsync(phone, $"/t/{code}", "ticket-vote", new() { ["Input.ProjectId"] = w.ProjectA.ToString() });
        return (w, code, phone);
    }

    private Task<string> FollowAsync(HttpClient phone, string code, string email) =>
        AccountFormsTests.PostFormAsync(phone, $"/t/{code}", "ticket-follow", new() { ["FollowInput.Email"] = email });

    [Fact]
    public async Task An_address_follows_once_it_confirms_gets_the_news_and_stops_with_the_link_of_the_mail()
    {
        var (w, code, phone) = await VotedAsync();
        var email = $"sam-{Guid.NewGuid():N}@exemple.fr";
        var before = app.MailFiles();
        Assert.Contains("confirmez depuis le message", await FollowAsync(phone, code, email));
        var confirmation = Decoded(Assert.Single(await app.NewMailAsync(before, containing: email)));
        var confirm = FollowLink().Match(confirmation).Value;

        // Not confirmed yet: news reaches no one by mail.
        var lea = await TestWorld.UserAsync(app, $"lea-{Guid.NewGuid():N}@test.fr", Roles.Entrepreneur, projectId: w.ProjectA);
        var beforeNews = app.MailFiles();
        await app.Get<CommunityService>().PostNewsAsync(lea, new PostNews { ProjectId = w.ProjectA, Title = "Premier atelier", Markdown = "Samedi." });
        Assert.Empty(await app.NewMailAsync(beforeNews, containing: "Premier atelier"));

        // Opening the link confirms nothing (a mail scanner opens links); its button does.
        var confirmPath = new Uri(confirm).PathAndQuery;
        Assert.Contains("Je confirme", WebUtility.HtmlDecode(await phone.GetStringAsync(confirmPath)));
        await using (var db = app.CreateDbContext())
            Assert.False((await db.EmailFollows.SingleAsync(f => f.Email == email)).IsActive);
        Assert.Contains("C’est confirmé", await AccountFormsTests.PostFormAsync(phone, confirmPath, "follow-confirm", []));
        beforeNews = app.MailFiles();
        await app.Get<CommunityService>().PostNewsAsync(lea, new PostNews { ProjectId = w.ProjectA, Title = "Ouverture samedi", Markdown = "Venez." });
        var news = Decoded(Assert.Single(await app.NewMailAsync(beforeNews, containing: "Ouverture samedi")));
        var stop = FollowLink().Matches(news).Select(m => m.Value).Single(l => l.Contains("/arret/"));

        // Opening the stop link stops nothing (a mail scanner opens links); its button does.
        var path = new Uri(stop).PathAndQuery;
        Assert.Contains("Arrêter", await phone.GetStringAsync(path));
        await using (var db = app.CreateDbContext())
            Assert.True((await db.EmailFollows.SingleAsync(f => f.Email == email)).IsActive);
        Assert.Contains("C’est arrêté", await AccountFormsTests.PostFormAsync(phone, path, "follow-stop", []));
        beforeNews = app.MailFiles();
        await app.Get<CommunityService>().PostNewsAsync(lea, new PostNews { ProjectId = w.ProjectA, Title = "Bilan du mois", Markdown = "Merci." });
        Assert.Empty(await app.NewMailAsync(beforeNews, containing: "Bilan du mois"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("pas-une-adresse")]
    [InlineData("a@b@c.fr")]
    public async Task A_wrong_address_is_refused_and_nothing_is_written(string email)
    {
        var (_, code, phone) = await VotedAsync();
        var page = await FollowAsync(phone, code, email);
        Assert.Contains("sol-field-error", page);
        await using var db = app.CreateDbContext();
        Assert.Equal(0, await db.EmailFollows.CountAsync(f => f.Email == email));
    }

    [Fact]
    public async Task One_address_gets_at_most_three_requests_an_hour_and_forged_links_confirm_nothing()
    {
        var (_, code, phone) = await VotedAsync();
        var email = $"flood-{Guid.NewGuid():N}@exemple.fr";
        for (var i = 0; i < EmailFollows.RequestsPerHourPerAddress; i++) Assert.Contains("confirmez depuis le message", await FollowAsync(phone, code, email));
        Assert.Contains("Trop de demandes", await FollowAsync(phone, code, email));
        Assert.Contains("n’est pas valable", await AccountFormsTests.PostFormAsync(phone, "/suivre/CfDJ8-forged-token", "follow-confirm", []));
        await using var db = app.CreateDbContext();
        Assert.Equal(0, await db.EmailFollows.CountAsync(f => f.Email == email && f.ConfirmedAt != null));
    }
}
