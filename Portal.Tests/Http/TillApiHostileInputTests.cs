using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Tests.Support;
using Portal.Web.Features.Api;

namespace Portal.Tests.Http;

/// <summary>
/// The till API as a hostile or buggy client sees it, on real Kestrel: whatever is sent, the answer is a 4xx problem
/// or a 201, never a 5xx, and the ledger holds exactly what the 201s acknowledged.
/// </summary>
public class TillApiHostileInputTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    private async Task<(TestWorld World, string Key)> WorldWithKeyAsync()
    {
        var w = await TestWorld.CreateAsync(app);
        var (_, key) = await app.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse");
        return (w, key);
    }

    private static HttpRequestMessage Post(string path, string json, string key, string idempotencyKey, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, contentType) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return request;
    }

    private async Task<(long Cents, long Solidons, int Entries)> LedgerAsync(int campaignId)
    {
        await using var db = app.CreateDbContext();
        var rows = await db.Donations.Where(d => d.CampaignId == campaignId).Select(d => new { d.AmountCents, d.Solidons }).ToListAsync();
        return (rows.Sum(r => r.AmountCents), rows.Sum(r => (long)r.Solidons), rows.Count);
    }

    public static TheoryData<string, string, int, string> Refused => new()
    {
        { "single", "null", 400, "$" },
        { "single", "[]", 400, "$" },
        { "single", "{}", 400, "amount" },
        { "single", """{"amount":"12.50","solidons":1}""", 400, "amount" },
        { "single", """{"amount":12.5000000000000000000000000001,"solidons":1}""", 400, "amount" },
        { "single", """{"amount":12.505,"solidons":1}""", 400, "amount" },
        { "single", """{"amount":1.25e1,"solidons":1}""", 400, "amount" },
        { "single", """{"amount":1e400,"solidons":1}""", 400, "amount" },
        { "single", """{"amount":12.5,"solidons":5.5}""", 400, "solidons" },
        { "single", """{"amount":12.5,"solidons":2147483648}""", 400, "solidons" },
        { "single", """{"amount":12.5,"solidons":0}""", 400, "solidons" },
        { "single", """{"amount":-12.5,"solidons":5}""", 400, "amount" },
        { "single", """{"amount":12.5,"solidons":5,"bills":-1}""", 400, "bills" },
        { "single", """{"amount":0.01,"solidons":1,"bills":2147483647}""", 400, "bills" },
        { "single", """{"amount":12.5,"solidons":5,"collectedAt":"2026-12-02T10:00:00"}""", 400, "collectedAt" },
        { "single", """{"amount":12.5,"solidons":5,"collectedAt":"demain"}""", 400, "collectedAt" },
        { "single", """{"amount":12.5,"solidons":5,"tip":1}""", 400, "tip" },
        { "single", """{"amount":12.5,"amount":13,"solidons":5}""", 400, "amount" },
        { "single", """{"amount":0.01,"solidons":1}""", 422, "amount" },
        { "single", """{"amount":500,"solidons":1}""", 422, "amount" },
        { "single", """{"amount":999.99,"solidons":10000}""", 422, "amount" },
        { "batch", """{"entries":[null]}""", 400, "entries[0]" },
        { "batch", """{"entries":[{"amount":5,"solidons":5},null]}""", 400, "entries[1]" },
        { "batch", """{"entries":[]}""", 400, "entries" },
        { "batch", """{"entries":{}}""", 400, "entries" },
        { "batch", """{"entrie":[]}""", 400, "entrie" },
        { "batch", """{"entries":[{"amount":5,"solidons":5},{"amount":0.01,"solidons":1}]}""", 422, "entries[1].amount" },
        { "batch", """{"entries":[{"amount":21474836.47,"solidons":10000,"bills":100000},{"amount":21474836.47,"solidons":10000,"bills":2147483647}]}""", 400, "entries[1].bills" },
        { "batch", "{\"entries\":[" + string.Join(",", Enumerable.Repeat("{\"amount\":1,\"solidons\":1}", TillPayload.MaxEntries + 1)) + "]}", 400, "entries" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_malformed_or_implausible_body_is_refused_naming_its_field_and_writes_nothing(string route, string json, int status, string field)
    {
        var (w, key) = await WorldWithKeyAsync();
        using var client = app.CreateHttpClient();
        var path = route == "batch" ? $"api/v1/campaigns/{w.CampaignId}/donations/batch" : $"api/v1/campaigns/{w.CampaignId}/donations";

        var response = await client.SendAsync(Post(path, json, key, Guid.NewGuid().ToString()));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {problem.RootElement}");
        Assert.Equal((0L, 0L, 0), await LedgerAsync(w.CampaignId));
    }

    [Theory]
    [InlineData("{\"\\uDC00\":1}")]
    [InlineData("{\"amount\":1,\"solidons\":1,\"collectedAt\":\"\\uD800\"}")]
    public async Task Text_that_is_not_valid_unicode_is_a_400_not_a_500(string json)
    {
        var (w, key) = await WorldWithKeyAsync();
        using var client = app.CreateHttpClient();

        var response = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", json, key, Guid.NewGuid().ToString()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((0L, 0L, 0), await LedgerAsync(w.CampaignId));
    }

    [Fact]
    public async Task Entries_at_the_per_entry_bounds_can_never_overflow_the_campaigns_totals()
    {
        var (w, key) = await WorldWithKeyAsync();
        using var client = app.CreateHttpClient();
        // 500 entries of 10 000 solidons and 100 000 bills, 43 times: past 2^31 bills.
        var entry = "{\"amount\":2000,\"solidons\":10000,\"bills\":100000}";
        var batch = "{\"entries\":[" + string.Join(",", Enumerable.Repeat(entry, TillPayload.MaxEntries)) + "]}";
        const int batches = 43;
        for (var i = 0; i < batches; i++)
        {
            var response = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations/batch", batch, key, $"big-{i}"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        await using var db = app.CreateDbContext();
        var tally = await db.EstablishmentTallies.SingleAsync(t => t.CampaignId == w.CampaignId && t.EstablishmentId == w.EstablishmentA);
        Assert.Equal((long)batches * TillPayload.MaxEntries * 100_000, tally.Bills);
        Assert.True(tally.Bills > int.MaxValue);
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == w.CampaignId);
        Assert.Equal((long)batches * TillPayload.MaxEntries * 10_000, campaign.Solidons);
        // Still readable and writable by anyone: the public page and another key's write.
        using var page = await client.GetAsync($"campagnes/{campaign.Slug}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var (_, other) = await app.Get<ApiKeyService>().CreateAsync(w.MerchantB, w.EstablishmentB, "Caisse B");
        var write = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", "{\"amount\":5,\"solidons\":5}", other, "after"));
        Assert.Equal(HttpStatusCode.Created, write.StatusCode);
    }

    [Theory]
    [InlineData("""{"amount":12.5,"solidons":5,"collectedAt":"2026-12-02T10:00:00Z"}""", """{"solidons":5,"amount":12.50,"collectedAt":"2026-12-02T11:00:00+01:00"}""")]
    [InlineData("""{"amount":12,"solidons":5}""", """{"amount":12.00,"solidons":5,"bills":null}""")]
    public async Task The_same_write_serialised_differently_under_one_key_is_replayed_not_refused(string first, string retry)
    {
        var (w, key) = await WorldWithKeyAsync();
        using var client = app.CreateHttpClient();
        var path = $"api/v1/campaigns/{w.CampaignId}/donations";
        // The campaign of TestWorld began five days ago: move the instant into its period, keeping both spellings.
        var day = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        first = first.Replace("2026-12-02", day);
        retry = retry.Replace("2026-12-02", day);

        var created = await client.SendAsync(Post(path, first, key, "retry-1"));
        var replayed = await client.SendAsync(Post(path, retry, key, "retry-1"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        Assert.True(replayed.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await created.Content.ReadAsStringAsync(), await replayed.Content.ReadAsStringAsync());
        Assert.Equal(1, (await LedgerAsync(w.CampaignId)).Entries);
    }

    [Theory]
    [InlineData("bad\u0001key")]
    [InlineData("tab\tkey")]
    [InlineData("")]
    public async Task An_idempotency_key_outside_printable_ascii_is_refused(string idempotencyKey)
    {
        var (w, key) = await WorldWithKeyAsync();
        using var client = app.CreateHttpClient();
        var response = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", "{\"amount\":5,\"solidons\":5}", key, idempotencyKey));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((0L, 0L, 0), await LedgerAsync(w.CampaignId));
    }

    [Fact]
    public async Task A_right_to_left_override_in_the_idempotency_key_is_refused()
    {
        var (w, key) = await WorldWithKeyAsync();
        // HttpClient will not send non-ASCII header bytes: write the request by hand, the key in UTF-8.
        var body = "{\"amount\":5,\"solidons\":5}";
        var head = $"POST /api/v1/campaigns/{w.CampaignId}/donations HTTP/1.1\r\nHost: {app.BaseAddress.Authority}\r\nAuthorization: Bearer {key}\r\n" +
                   $"Idempotency-Key: abc\u202Edef\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(app.BaseAddress.Host, app.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head));
        var answer = await new StreamReader(stream).ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 400", answer);
        Assert.Equal((0L, 0L, 0), await LedgerAsync(w.CampaignId));
    }

    [Fact]
    public async Task An_unknown_api_route_and_an_oversized_body_answer_problem_details()
    {
        var (w, key) = await WorldWithKeyAsync();
        using var client = app.CreateHttpClient();

        var unknown = await client.SendAsync(Post("api/v1/nowhere", "{}", key, "k"));
        var huge = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations/batch", "{\"entries\":[" + new string(' ', 300_000) + "]}", key, "k2"));
        var notJson = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", "amount=5", key, "k3", "application/x-www-form-urlencoded"));
        var broken = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", "{\"amount\":5,", key, "k4"));

        Assert.True(unknown.StatusCode == HttpStatusCode.NotFound, $"{unknown.StatusCode}: {await unknown.Content.ReadAsStringAsync()}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        foreach (var response in new[] { unknown, huge, notJson, broken })
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((0L, 0L, 0), await LedgerAsync(w.CampaignId));
    }

    [Fact]
    public async Task The_till_openapi_document_describes_the_till_api_alone()
    {
        using var client = app.CreateHttpClient();
        using var doc = JsonDocument.Parse(await client.GetStringAsync("api/openapi/till.json"));
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.NotEmpty(paths);
        Assert.All(paths, p => Assert.StartsWith("/api/v1/", p));
    }
}
