using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Tests.Support;
using Portal.Web.Features.Api;

namespace Portal.Tests.Http;

public class TillApiTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    private static HttpRequestMessage Post(string path, object body, string? key, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    private async Task<(TestWorld World, string KeyA, string KeyB)> WorldWithKeysAsync()
    {
        var w = await TestWorld.CreateAsync(app);
        var keys = app.Get<ApiKeyService>();
        var (_, a) = await keys.CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse A");
        var (_, b) = await keys.CreateAsync(w.MerchantB, w.EstablishmentB, "Caisse B");
        return (w, a, b);
    }

    [Fact]
    public async Task A_hundred_parallel_identical_requests_under_one_idempotency_key_make_one_entry()
    {
        var (w, key, _) = await WorldWithKeysAsync();
        using var client = app.CreateHttpClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
            client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", new { amount = 7.5m, solidons = 5 }, key, "ticket-0001"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        Assert.Equal(99, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        await using var db = app.CreateDbContext();
        Assert.Equal(1, await db.Donations.CountAsync(d => d.CampaignId == w.CampaignId));
        Assert.Equal(750, (await db.Campaigns.SingleAsync(c => c.Id == w.CampaignId)).CollectedCents);
    }

    [Fact]
    public async Task A_keys_last_use_is_recorded_with_its_writes_at_most_once_a_minute()
    {
        var (w, key, _) = await WorldWithKeysAsync();
        using var client = app.CreateHttpClient();
        async Task<DateTimeOffset?> LastUsedAsync()
        {
            await using var db = app.CreateDbContext();
            return (await db.ApiKeys.AsNoTracking().SingleAsync(k => k.EstablishmentId == w.EstablishmentA)).LastUsedAt;
        }
        async Task WriteAsync(string idempotencyKey) => Assert.Equal(HttpStatusCode.Created,
            (await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", new { amount = 1, solidons = 1 }, key, idempotencyKey))).StatusCode);

        await WriteAsync("use-1");
        Assert.NotNull(await LastUsedAsync());

        // Two minutes ago, as far as the key knows: the next write moves it; the one after, within the minute, does not.
        var longAgo = DateTimeOffset.UtcNow.AddMinutes(-2);
        await using (var db = app.CreateDbContext())
            await db.ApiKeys.Where(k => k.EstablishmentId == w.EstablishmentA).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, longAgo));
        await WriteAsync("use-2");
        var moved = await LastUsedAsync();
        Assert.True(moved > longAgo.AddMinutes(1), $"last use {moved} should have moved from {longAgo}");
        await WriteAsync("use-3");
        Assert.Equal(moved, await LastUsedAsync());
    }

    [Fact]
    public async Task The_same_key_with_another_payload_is_refused_and_writes_nothing()
    {
        var (w, key, _) = await WorldWithKeysAsync();
        using var client = app.CreateHttpClient();
        await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", new { amount = 2, solidons = 2 }, key, "k-1"));
        var second = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", new { amount = 3, solidons = 2 }, key, "k-1"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Equal("idempotency.key_reused", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        await using var db = app.CreateDbContext();
        Assert.Equal(1, await db.Donations.CountAsync(d => d.CampaignId == w.CampaignId));
    }

    [Fact]
    public async Task Validation_errors_are_problem_details_naming_the_fields()
    {
        var (w, key, _) = await WorldWithKeysAsync();
        using var client = app.CreateHttpClient();
        var one = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", new { amount = -1, solidons = 0 }, key, "bad-1"));
        var batch = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations/batch",
            new { entries = new object[] { new { amount = 1, solidons = 1 }, new { amount = 1.234, solidons = 1 } } }, key, "bad-2"));
        var missingKey = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", new { amount = 1, solidons = 1 }, key, null));

        Assert.Equal(HttpStatusCode.BadRequest, one.StatusCode);
        Assert.Equal("application/problem+json", one.Content.Headers.ContentType!.MediaType);
        var errors = (await one.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("amount", out _));
        Assert.True(errors.TryGetProperty("solidons", out _));
        Assert.True((await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("entries[1].amount", out _));
        Assert.True((await missingKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        await using var db = app.CreateDbContext();
        Assert.Equal(0, await db.Donations.CountAsync(d => d.CampaignId == w.CampaignId));
    }

    [Fact]
    public async Task A_batch_is_all_or_nothing()
    {
        var (w, key, _) = await WorldWithKeysAsync();
        using var client = app.CreateHttpClient();
        var now = DateTimeOffset.UtcNow;
        var refused = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations/batch",
            new { entries = new object[] { new { amount = 4, solidons = 2 }, new { amount = 5, solidons = 3, collectedAt = now.AddDays(40) } } }, key, "batch-1"));
        var accepted = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations/batch",
            new { entries = new object[] { new { amount = 4, solidons = 2 }, new { amount = 5, solidons = 3, bills = 20 } } }, key, "batch-2"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(2, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
        await using var db = app.CreateDbContext();
        Assert.Equal(900, (await db.Campaigns.SingleAsync(c => c.Id == w.CampaignId)).CollectedCents);
    }

    [Fact]
    public async Task Without_a_key_or_with_a_revoked_one_the_api_answers_401_at_once()
    {
        var (w, key, _) = await WorldWithKeysAsync();
        using var client = app.CreateHttpClient();
        var none = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", new { amount = 1, solidons = 1 }, null, "x-1"));
        var forged = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", new { amount = 1, solidons = 1 }, key[..^2] + "zz", "x-2"));
        var keyId = (await app.Get<ApiKeyService>().ListAsync(w.MerchantA, w.EstablishmentA)).Single().Id;
        await app.Get<ApiKeyService>().RevokeAsync(w.MerchantA, keyId);
        var revoked = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", new { amount = 1, solidons = 1 }, key, "x-3"));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        await using var db = app.CreateDbContext();
        Assert.Equal(0, await db.Donations.CountAsync(d => d.CampaignId == w.CampaignId));
    }

    [Fact]
    public async Task A_key_revoked_on_another_node_no_longer_writes_even_while_this_node_remembers_it()
    {
        var (w, key, _) = await WorldWithKeysAsync();
        using var client = app.CreateHttpClient();
        var first = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", new { amount = 1, solidons = 1 }, key, "r-1"));
        // Another node revokes it: this node's cache of keys does not hear of it, the write's transaction does.
        await using (var db = app.CreateDbContext())
            await db.ApiKeys.Where(k => k.EstablishmentId == w.EstablishmentA).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, DateTimeOffset.UtcNow));
        var second = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", new { amount = 1, solidons = 1 }, key, "r-2"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        await using var check = app.CreateDbContext();
        Assert.Equal(1, await check.Donations.CountAsync(d => d.CampaignId == w.CampaignId));
    }

    [Fact]
    public async Task A_key_writes_only_for_its_own_establishment_and_cannot_revoke_another_ones_key()
    {
        var (w, keyA, keyB) = await WorldWithKeysAsync();
        using var client = app.CreateHttpClient();
        // A till cannot name another place: the field is refused, and the key's own place is the only one it writes for.
        var naming = await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", new { amount = 1, solidons = 1, establishmentId = w.EstablishmentB }, keyA, "own-1"));
        Assert.Equal(HttpStatusCode.BadRequest, naming.StatusCode);
        await client.SendAsync(Post($"api/v1/campaigns/{w.CampaignId}/donations", new { amount = 1, solidons = 1 }, keyA, "own-2"));
        var keyOfB = (await app.Get<ApiKeyService>().ListAsync(w.MerchantB, w.EstablishmentB)).Single().Id;

        await Assert.ThrowsAsync<Portal.Web.Features.ForbiddenException>(() => app.Get<ApiKeyService>().RevokeAsync(w.MerchantA, keyOfB));
        await Assert.ThrowsAsync<Portal.Web.Features.ForbiddenException>(() => app.Get<ApiKeyService>().ListAsync(w.MerchantA, w.EstablishmentB));
        await using var db = app.CreateDbContext();
        var entry = await db.Donations.SingleAsync(d => d.CampaignId == w.CampaignId);
        Assert.Equal(w.EstablishmentA, entry.EstablishmentId);
        Assert.Null((await db.ApiKeys.SingleAsync(k => k.Id == keyOfB)).RevokedAt);
        Assert.DoesNotContain(keyB, string.Join(",", db.ApiKeys.Select(k => k.Prefix)));
    }

    [Fact]
    public async Task The_openapi_document_and_the_reference_page_are_served()
    {
        using var client = app.CreateHttpClient();
        var document = await client.GetFromJsonAsync<JsonElement>("api/openapi/till.json");
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/campaigns/{campaignId}/donations", out _));
        var page = await client.GetAsync("api/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}

public class TillApiRestartAndLimitTests
{
    [Fact]
    public async Task A_replay_after_a_server_restart_returns_the_same_response_and_adds_no_entry()
    {
        var folder = Directory.CreateTempSubdirectory("solidons-restart-").FullName;
        TestWorld w;
        string key, first;
        await using (var before = new CustomPortalFactory(folder))
        {
            await ((IAsyncLifetime)before).InitializeAsync();
            w = await TestWorld.CreateAsync(before);
            (_, key) = await before.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse");
            using var client = before.CreateHttpClient();
            var response = await client.SendAsync(Request(w.CampaignId, key));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            first = await response.Content.ReadAsStringAsync();
        }

        await using var after = new CustomPortalFactory(folder);
        await ((IAsyncLifetime)after).InitializeAsync();
        using var again = after.CreateHttpClient();
        var replay = await again.SendAsync(Request(w.CampaignId, key));

        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(first, await replay.Content.ReadAsStringAsync());
        await using var db = after.CreateDbContext();
        Assert.Equal(1, await db.Donations.CountAsync(d => d.CampaignId == w.CampaignId));
    }

    [Fact]
    public async Task Past_its_rate_a_key_gets_429_with_retry_after_while_another_key_goes_on()
    {
        await using var app = new CustomPortalFactory(settings: new Dictionary<string, string> { ["Api:RequestsPerSecond"] = "2" });
        await ((IAsyncLifetime)app).InitializeAsync();
        var w = await TestWorld.CreateAsync(app);
        var (_, key) = await app.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse");
        var (_, other) = await app.Get<ApiKeyService>().CreateAsync(w.MerchantB, w.EstablishmentB, "Autre caisse");
        using var client = app.CreateHttpClient();

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++) responses.Add(await client.SendAsync(Get(key)));
        var otherKey = await client.SendAsync(Get(other));

        // A bucket of 4 (twice the rate) refills by 2 a second: twelve back-to-back calls cannot all pass.
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, r => Assert.True(int.Parse(r.Headers.GetValues("Retry-After").Single()) >= 1));
        Assert.Equal(HttpStatusCode.OK, responses[0].StatusCode);
        // Same caller address, another key: its own bucket is full.
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    private static HttpRequestMessage Get(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/campaigns");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private static HttpRequestMessage Request(int campaignId, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/campaigns/{campaignId}/donations") { Content = JsonContent.Create(new { amount = 3.2m, solidons = 4 }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("Idempotency-Key", "restart-1");
        return request;
    }
}
