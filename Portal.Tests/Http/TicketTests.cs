using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Campaigns;
using Portal.Tests.Support;
using Portal.Web.Features.Api;
using Portal.Web.Features.Campaigns;

namespace Portal.Tests.Http;

/// <summary>Vote tickets end to end over HTTP: minted by the till API, opened and voted with on /t/{code}, traced on /suivi/{code}.</summary>
public partial class TicketTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    private Task<(TestWorld World, HttpClient Till)> TillAsync() => TillAsync(app);

    internal static async Task<(TestWorld World, HttpClient Till)> TillAsync(PortalAppFactory app)
    {
        var w = await TestWorld.CreateAsync(app);
        var (_, key) = await app.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse A");
        var till = app.CreateHttpClient();
        till.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return (w, till);
    }

    private static async Task<HttpResponseMessage> LogAsync(HttpClient till, int campaignId, object body, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/campaigns/{campaignId}/donations") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await till.SendAsync(request);
    }

    /// <summary>The tickets of one till entry asking for <paramref name="count"/>: their printed codes and URLs.</summary>
    internal static async Task<List<(string Code, string Url)>> TicketsAsync(HttpClient till, int campaignId, int count, string key = "bill-1")
    {
        var response = await LogAsync(till, campaignId, new { amount = 3, solidons = 3, tickets = count }, key);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var entry = (await response.Content.ReadFromJsonAsync<JsonElement>())[0];
        return [.. entry.GetProperty("tickets").EnumerateArray().Select(t => (t.GetProperty("code").GetString()!, t.GetProperty("url").GetString()!))];
    }

    private static async Task<HttpResponseMessage> VoteAsync(HttpClient browser, string code, int? projectId)
    {
        var page = await browser.GetStringAsync($"t/{code}");
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value, ["_handler"] = "ticket-vote" };
        if (projectId is not null) form["Input.ProjectId"] = projectId.Value.ToString();
        return await browser.PostAsync($"t/{code}", new FormUrlEncodedContent(form));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    private Task<(int Tickets, int Votes)> CountsAsync(int campaignId) => CountsAsync(app, campaignId);

    internal static async Task<(int Tickets, int Votes)> CountsAsync(PortalAppFactory app, int campaignId)
    {
        await using var db = app.CreateDbContext();
        return (await db.VoteTickets.CountAsync(t => t.CampaignId == campaignId), await db.Votes.CountAsync(v => v.CampaignId == campaignId));
    }

    [Fact]
    public async Task The_till_api_returns_the_tickets_asked_for_and_a_retry_replays_the_same_ones()
    {
        var (w, till) = await TillAsync();
        // A till can tell whether its campaign takes tickets before asking for them.
        var open = await till.GetFromJsonAsync<JsonElement>("api/v1/campaigns");
        Assert.True(open.EnumerateArray().Single(c => c.GetProperty("id").GetInt32() == w.CampaignId).GetProperty("acceptsTickets").GetBoolean());
        var first = await TicketsAsync(till, w.CampaignId, 2);
        Assert.Equal(2, first.Count);
        Assert.All(first, t =>
        {
            Assert.Matches("^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$", t.Code);
            Assert.EndsWith($"/t/{TicketCode.Normalize(t.Code)}", t.Url);
        });
        Assert.Equal(first, await TicketsAsync(till, w.CampaignId, 2));
        Assert.Equal((2, 0), await CountsAsync(w.CampaignId));
        // Without "tickets", an entry mints none and says so by leaving the field out.
        var plain = await LogAsync(till, w.CampaignId, new { amount = 1, solidons = 1 }, "bill-2");
        Assert.Equal(JsonValueKind.Null, (await plain.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("tickets").ValueKind);
    }

    [Theory]
    [InlineData("{\"amount\":3,\"solidons\":3,\"tickets\":4}", "tickets")]
    [InlineData("{\"amount\":3,\"solidons\":3,\"tickets\":-1}", "tickets")]
    [InlineData("{\"amount\":3,\"solidons\":3,\"tickets\":1.5}", "tickets")]
    [InlineData("{\"amount\":3,\"solidons\":3,\"tickets\":\"2\"}", "tickets")]
    public async Task Wrong_ticket_requests_are_refused_with_their_field_and_write_nothing(string body, string field)
    {
        var (w, till) = await TillAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/campaigns/{w.CampaignId}/donations") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await till.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal((0, 0), await CountsAsync(w.CampaignId));
        await using var db = app.CreateDbContext();
        Assert.Equal(0, await db.Donations.CountAsync(d => d.CampaignId == w.CampaignId));
    }

    [Fact]
    public async Task A_ticket_votes_without_an_account_shows_its_choice_later_and_moves_it()
    {
        var (w, till) = await TillAsync();
        var (code, _) = (await TicketsAsync(till, w.CampaignId, 1))[0];
        using var browser = app.CreateHttpClient();
        var page = await browser.GetStringAsync($"t/{code}");
        Assert.Contains("Projet Un", page);
        Assert.Contains("Restaurant A", page);

        var counted = await VoteAsync(browser, code, w.ProjectA);
        Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
        Assert.Contains("est compté", await counted.Content.ReadAsStringAsync());
        await using (var db = app.CreateDbContext())
        {
            var vote = await db.Votes.SingleAsync(v => v.CampaignId == w.CampaignId);
            Assert.Equal((w.ProjectA, (string?)null, (int?)w.EstablishmentA), (vote.ProjectId, vote.ContributorId, vote.ViaEstablishmentId));
            Assert.NotNull((await db.VoteTickets.SingleAsync(t => t.CampaignId == w.CampaignId)).UsedAt);
        }

        // A later visit, from another phone: the choice is shown, and moves.
        using var later = app.CreateHttpClient();
        Assert.Contains("votre choix", await later.GetStringAsync($"t/{code.ToLowerInvariant()}"));
        Assert.Contains("va maintenant", await (await VoteAsync(later, code, w.ProjectB)).Content.ReadAsStringAsync());
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal(w.ProjectB, (await db.Votes.SingleAsync(v => v.CampaignId == w.CampaignId)).ProjectId);
            var candidates = await db.Campaigns.Where(c => c.Id == w.CampaignId).SelectMany(c => c.Candidates).ToListAsync();
            Assert.Equal((0, 1), (candidates.Single(c => c.ProjectId == w.ProjectA).Votes, candidates.Single(c => c.ProjectId == w.ProjectB).Votes));
        }
    }

    [Fact]
    public async Task Forged_unknown_and_expired_tickets_get_their_message_and_write_nothing()
    {
        var (w, till) = await TillAsync();
        var (code, _) = (await TicketsAsync(till, w.CampaignId, 1))[0];
        using var browser = app.CreateHttpClient();

        var forged = await browser.GetAsync("t/AAAA-BBBB-CCCC-DDDD");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("n’est pas un code de ticket", await forged.Content.ReadAsStringAsync());
        var unknown = await browser.GetAsync($"t/{TicketCode.Format(TicketCode.New())}");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Ce ticket n’existe pas", await unknown.Content.ReadAsStringAsync());
        // A project that is not a candidate, or none at all: refused, nothing written.
        var notCandidate = await VoteAsync(browser, code, 999_999);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notCandidate.StatusCode);
        Assert.Contains("candidat", await notCandidate.Content.ReadAsStringAsync());
        Assert.Contains("Choisissez un projet", await (await VoteAsync(browser, code, null)).Content.ReadAsStringAsync());
        Assert.Equal((1, 0), await CountsAsync(w.CampaignId));

        await app.Get<CampaignLifecycle>().CloseAsync(w.Admin, w.CampaignId, await VersionAsync(w.CampaignId));
        var expired = await browser.GetStringAsync($"t/{code}");
        Assert.Contains("n’est plus valable", expired);
        Assert.DoesNotContain("ticket-vote", expired);
        Assert.Equal((1, 0), await CountsAsync(w.CampaignId));
    }

    private async Task<int> VersionAsync(int campaignId)
    {
        await using var db = app.CreateDbContext();
        return await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.Version).SingleAsync();
    }

    [Fact]
    public async Task The_trace_shows_the_place_the_pot_and_after_allocation_the_projects_financed()
    {
        var (w, till) = await TillAsync();
        var (code, _) = (await TicketsAsync(till, w.CampaignId, 1))[0];
        using var browser = app.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await VoteAsync(browser, code, w.ProjectA)).StatusCode);
        var open = await browser.GetStringAsync($"suivi/{code}");
        Assert.Contains("Restaurant A", open);
        Assert.Contains("3,00", open);
        Assert.Contains("sera répartie", open);

        var lifecycle = app.Get<CampaignLifecycle>();
        await lifecycle.CloseAsync(w.Admin, w.CampaignId, await VersionAsync(w.CampaignId));
        await lifecycle.AllocateAsync(w.Admin, w.CampaignId, await VersionAsync(w.CampaignId));
        var allocated = await browser.GetStringAsync($"suivi/{code}");
        Assert.Contains("Projet Un", allocated);
        Assert.Contains("100", allocated);
        Assert.Contains("votre choix", allocated);
    }
}

/// <summary>A portal of its own: the sweep spends its address's whole budget of misses.</summary>
public class TicketSweepTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    [Fact]
    public async Task Random_and_hostile_codes_never_answer_5xx_never_write_and_a_sweep_is_throttled()
    {
        var (w, till) = await TicketTests.TillAsync(app);
        await TicketTests.TicketsAsync(till, w.CampaignId, 3);
        var before = await TicketTests.CountsAsync(app, w.CampaignId);
        // Each client here is one address (the test server's): the sweep is cut off after the budget of misses.
        using var sweeper = app.CreateHttpClient();
        var statuses = new List<HttpStatusCode>();
        var hostile = Gen.OneOf(
            Gen.String[Gen.Char.AlphaNumeric, 1, 40],
            Gen.String[1, 60],
            Gen.Const(() => TicketCode.Format(TicketCode.New())));
        foreach (var input in hostile.Array[60].Single())
        {
            foreach (var path in new[] { "t/", "suivi/" })
            {
                var response = await sweeper.GetAsync(path + Uri.EscapeDataString(input));
                Assert.True((int)response.StatusCode < 500, $"{path}{input}: {(int)response.StatusCode}");
                statuses.Add(response.StatusCode);
            }
        }
        Assert.Equal(before, await TicketTests.CountsAsync(app, w.CampaignId));
        Assert.DoesNotContain(HttpStatusCode.OK, statuses);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        // Once throttled, even a real ticket is refused from that address, so the sweep learns nothing.
        var (real, _) = (await TicketTests.TicketsAsync(till, w.CampaignId, 1, "bill-after"))[0];
        Assert.Equal(HttpStatusCode.TooManyRequests, (await sweeper.GetAsync($"t/{real}")).StatusCode);
    }
}

public class TicketVoteRateTests
{
    [Fact]
    public async Task Votes_from_one_address_past_its_budget_a_minute_are_refused_and_write_nothing()
    {
        await using var app = new CustomPortalFactory(settings: new Dictionary<string, string> { ["Tickets:VotesPerMinutePerAddress"] = "3" });
        await ((IAsyncLifetime)app).InitializeAsync();
        var (w, till) = await TicketTests.TillAsync(app);
        var (code, _) = (await TicketTests.TicketsAsync(till, w.CampaignId, 1))[0];
        using var phone = app.CreateHttpClient();
        async Task<HttpResponseMessage> VoteAsync(int projectId)
        {
            var page = await phone.GetStringAsync($"t/{code}");
            var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
            return await phone.PostAsync($"t/{code}", new FormUrlEncodedContent(new Dictionary<string, string>
                { ["__RequestVerificationToken"] = token, ["_handler"] = "ticket-vote", ["Input.ProjectId"] = projectId.ToString() }));
        }
        foreach (var project in new[] { w.ProjectA, w.ProjectB, w.ProjectA })
            Assert.Equal(HttpStatusCode.OK, (await VoteAsync(project)).StatusCode);
        var refused = await VoteAsync(w.ProjectB);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Trop de votes", System.Net.WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        await using var db = app.CreateDbContext();
        Assert.Equal(w.ProjectA, (await db.Votes.SingleAsync(v => v.CampaignId == w.CampaignId)).ProjectId);
    }
}

/// <summary>The merchant's sheet form: garbage counts are refused with their message and mint nothing.</summary>
public class TicketSheetTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("101")]
    [InlineData("1e2")]
    [InlineData("8.5")]
    [InlineData(" 8")]
    [InlineData("99999999999999999999")]
    public async Task A_count_that_is_not_a_whole_number_from_1_to_100_mints_nothing(string count)
    {
        var (w, merchant) = await MerchantAsync();
        var page = await AccountFormsTests.PostFormAsync(merchant, Path(w), "ticket-sheet", new() { ["Input.Count"] = count });
        Assert.Contains("Saisissez un nombre entier de 1 à 100", page);
        Assert.Equal((0, 0), await TicketTests.CountsAsync(app, w.CampaignId));
    }

    [Fact]
    public async Task A_sheet_of_eight_mints_eight_cards_of_the_place()
    {
        var (w, merchant) = await MerchantAsync();
        var page = await AccountFormsTests.PostFormAsync(merchant, Path(w), "ticket-sheet", new() { ["Input.Count"] = "8" });
        Assert.Equal(8, Regex.Matches(page, "data-testid=\"ticket-code\"").Count);
        await using var db = app.CreateDbContext();
        Assert.Equal(8, await db.VoteTickets.CountAsync(t => t.CampaignId == w.CampaignId && t.EstablishmentId == w.EstablishmentA && t.Source == TicketSource.Sheet));
    }

    private static string Path(TestWorld w) => $"/commercant/tickets?etablissement={w.EstablishmentA}&campagne={w.CampaignId}";

    /// <summary>A merchant of place A, signed in through the form.</summary>
    private async Task<(TestWorld World, HttpClient Merchant)> MerchantAsync()
    {
        var w = await TestWorld.CreateAsync(app);
        var email = await SignInForm.AccountAsync(app, Portal.Data.Identity.Roles.Merchant);
        await using (var db = app.CreateDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Email == email);
            db.EstablishmentMembers.Add(new Portal.Data.Identity.EstablishmentMember { EstablishmentId = w.EstablishmentA, UserId = user.Id });
            await db.SaveChangesAsync();
        }
        var client = app.CreateHttpClient();
        await SignInForm.PostAsync(client, client, email);
        return (w, client);
    }
}
