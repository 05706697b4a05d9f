using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Portal.Tests.Support;
using Portal.Web.Features.Api;

namespace Portal.Tests.Http;

/// <summary>
/// Thousands of generated till requests on real Kestrel, valid and hostile mixed: no 5xx, and the ledger and its
/// totals hold exactly what the 201 answers acknowledged.
/// </summary>
public class TillApiPropertyTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    private static HttpRequestMessage Post(string path, string json, string key, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return request;
    }

    // Values at and past every edge: what a buggy till, a fuzzer or an attacker would put in a field.
    private static readonly Gen<string> AmountText = Gen.OneOf(
        Gen.Int[1, 4000].Select(c => (c / 100m).ToString(CultureInfo.InvariantCulture)),
        Gen.Int[1, 4000].Select(c => (c / 100m).ToString("0.000", CultureInfo.InvariantCulture)),
        Gen.Const("0"), Gen.Const("-1"), Gen.Const("12.345"), Gen.Const("1e3"), Gen.Const("100000.01"), Gen.Const("79228162514264337593543950336"),
        Gen.Const("12.5000000000000000000000000001"), Gen.Const("\"12.50\""), Gen.Const("null"), Gen.Const("true"), Gen.Const("[]"), Gen.Const("{}"));

    private static readonly Gen<string> CountText = Gen.OneOf(
        Gen.Int[1, 20].Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.Int.Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.Const("0"), Gen.Const("2147483647"), Gen.Const("2147483648"), Gen.Const("-2147483648"), Gen.Const("1.5"), Gen.Const("1e2"),
        Gen.Const("\"3\""), Gen.Const("null"), Gen.Const("{}"));

    private static readonly Gen<string> InstantText = Gen.OneOf(
        Gen.Int[1, 48].Select(h => $"\"{DateTimeOffset.UtcNow.AddHours(-h):yyyy-MM-ddTHH:mm:ssZ}\""),
        Gen.Int[1, 48].Select(h => $"\"{DateTimeOffset.UtcNow.AddHours(-h).ToOffset(TimeSpan.FromHours(1)):yyyy-MM-ddTHH:mm:sszzz}\""),
        Gen.Const("\"2026-02-30T10:00:00Z\""), Gen.Const("\"9999-12-31T23:59:59Z\""), Gen.Const("\"0001-01-01T00:00:00Z\""),
        Gen.Const("\"\""), Gen.Const("0"), Gen.Const("null"));

    private static readonly Gen<string> ValidEntryText = Gen.Select(Gen.Int[1, 20], Gen.Int[50, 500], Gen.Int[-1, 30], Gen.Int[-1, 48],
        (solidons, centsEach, extraBills, hoursAgo) =>
        {
            var amount = (solidons * centsEach / 100m).ToString(CultureInfo.InvariantCulture);
            var bills = extraBills >= 0 ? $",\"bills\":{solidons + extraBills}" : "";
            var at = hoursAgo > 0 ? $",\"collectedAt\":\"{DateTimeOffset.UtcNow.AddHours(-hoursAgo):yyyy-MM-ddTHH:mm:ssZ}\"" : "";
            return $"{{\"amount\":{amount},\"solidons\":{solidons}{bills}{at}}}";
        });

    private static readonly Gen<string> HostileEntryText = Gen.Select(AmountText, CountText, CountText.Null(), InstantText.Null(), Gen.Int[0, 9],
        (amount, solidons, bills, at, extra) =>
        {
            var fields = new List<string> { $"\"amount\":{amount}", $"\"solidons\":{solidons}" };
            if (bills is not null) fields.Add($"\"bills\":{bills}");
            if (at is not null) fields.Add($"\"collectedAt\":{at}");
            if (extra == 0) fields.RemoveAt(0);
            if (extra == 1) fields.Add("\"tip\":1");
            return "{" + string.Join(",", fields) + "}";
        });

    private static readonly Gen<string> EntryText = Gen.Frequency((2, ValidEntryText), (3, HostileEntryText));

    private static readonly Gen<(bool Batch, string Json)> Body = Gen.OneOf(
        EntryText.Select(e => (false, e)),
        Gen.Frequency((12, ValidEntryText), (1, HostileEntryText), (1, Gen.Const("null")), (1, Gen.Const("7"))).Array[0, 6]
            .Select(es => (true, "{\"entries\":[" + string.Join(",", es) + "]}")),
        Gen.OneOf(Gen.Const("{"), Gen.Const(""), Gen.Const("[[[[[[[[[[[[[[[[[[[["), Gen.Const("\"x\""), Gen.String[0, 40]).Select(s => (false, s)));

    [Fact]
    public async Task Thousands_of_generated_requests_never_answer_5xx_and_the_ledger_holds_exactly_what_was_acknowledged()
    {
        var w = await TestWorld.CreateAsync(app);
        var (_, key) = await app.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse");
        using var client = app.CreateHttpClient();
        var bodies = Body.Array[2000].Single();
        var acknowledged = new List<(long Cents, long Solidons)>();
        var statuses = new Dictionary<int, int>();

        await Parallel.ForEachAsync(bodies.Select((b, i) => (b, i)), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (item, ct) =>
        {
            var ((batch, json), i) = item;
            var path = $"api/v1/campaigns/{w.CampaignId}/donations" + (batch ? "/batch" : "");
            using var response = await client.SendAsync(Post(path, json, key, $"fuzz-{i}"), ct);
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"{status} for {json}: {await response.Content.ReadAsStringAsync(ct)}");
            lock (statuses) statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status != 201) return;
            using var entries = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            lock (acknowledged)
                foreach (var entry in entries.RootElement.EnumerateArray())
                    acknowledged.Add(((long)(entry.GetProperty("amount").GetDecimal() * 100), entry.GetProperty("solidons").GetInt32()));
        });

        Assert.True(statuses.GetValueOrDefault(201) > 50, $"too few accepted writes to mean anything: {string.Join(", ", statuses)}");
        Assert.True(statuses.Where(s => s.Key >= 400).Sum(s => s.Value) > 500, $"too few refusals: {string.Join(", ", statuses)}");
        await using var db = app.CreateDbContext();
        var rows = await db.Donations.Where(d => d.CampaignId == w.CampaignId).Select(d => new { d.AmountCents, d.Solidons }).ToListAsync();
        var ledger = (Cents: rows.Sum(r => r.AmountCents), Solidons: rows.Sum(r => (long)r.Solidons), Entries: rows.Count);
        Assert.Equal((acknowledged.Sum(a => a.Cents), acknowledged.Sum(a => a.Solidons), acknowledged.Count), ledger);
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == w.CampaignId);
        Assert.Equal((ledger.Cents, ledger.Solidons, ledger.Entries), (campaign.CollectedCents, campaign.Solidons, campaign.Entries));
        var tally = await db.EstablishmentTallies.SingleAsync(t => t.CampaignId == w.CampaignId && t.EstablishmentId == w.EstablishmentA);
        Assert.Equal((ledger.Cents, ledger.Solidons), (tally.CollectedCents, tally.Solidons));
    }
}
