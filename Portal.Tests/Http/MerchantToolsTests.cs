using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Campaigns;
using Portal.Tests.Support;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Merchant;

namespace Portal.Tests.Http;

public class MerchantToolsTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    private static MemoryStream Csv(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task A_good_till_export_previews_every_line_and_imports_all_of_them()
    {
        var w = await TestWorld.CreateAsync(app);
        var day = DateTime.Today.AddDays(-1).ToString("dd/MM/yyyy");
        var rows = await app.Get<TillCsv>().PreviewAsync(Csv($"date;montant;solidons;additions\n{day};37,50;25;180\n{day} 14:30;12,00;8;\n"),
            w.CampaignId, w.EstablishmentA);

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.True(r.IsValid, string.Join(";", r.Errors)));
        Assert.Equal(37.50m, rows[0].Entry.Amount);
        Assert.Equal(180, rows[0].Entry.Bills);
        Assert.Null(rows[1].Entry.Bills);

        await app.Get<DonationLedger>().LogBatchAsync(w.MerchantA, [.. rows.Select(r => r.Entry)], EntrySource.Csv);
        await using var db = app.CreateDbContext();
        Assert.Equal(4950, (await db.Campaigns.SingleAsync(c => c.Id == w.CampaignId)).CollectedCents);
        Assert.All(await db.Donations.Where(d => d.CampaignId == w.CampaignId).ToListAsync(), d => Assert.Equal(EntrySource.Csv, d.Source));
    }

    [Fact]
    public async Task An_implausible_till_export_is_flagged_line_by_line_and_an_implausible_average_refuses_the_whole_batch()
    {
        var w = await TestWorld.CreateAsync(app);
        var day = DateTime.Today.ToString("dd/MM/yyyy");
        var rows = await app.Get<TillCsv>().PreviewAsync(Csv($"date;montant;solidons;additions\n{day};12,5000000000000000000000000001;5;\n" +
            $"{day};12,505;5;\n{day};1000,00;100000;\n{day};1,00;1;2147483647\n{day};12,500;5;\n"), w.CampaignId, w.EstablishmentA);

        Assert.Equal([false, false, false, false, true], rows.Select(r => r.IsValid));
        Assert.Contains(rows[0].Errors, e => e.Contains("deux décimales au plus"));
        Assert.Contains(rows[1].Errors, e => e.Contains("deux décimales au plus"));
        Assert.Contains(rows[2].Errors, e => e.Contains("10 000 solidons"));
        Assert.Contains(rows[3].Errors, e => e.Contains("100 000 additions"));
        Assert.Equal(12.5m, rows[4].Entry.Amount);
        Assert.True(rows[4].Entry.CollectedAt <= DateTimeOffset.Now, "today's file is dated by its evening or by now, never later");

        // An average the campaign's range refuses is only known at commit: the batch is refused whole, naming the line.
        var error = await Assert.ThrowsAsync<Portal.Domain.Common.DomainException>(() => app.Get<DonationLedger>().LogBatchAsync(w.MerchantA,
            [rows[4].Entry, new() { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 0.01m, Solidons = 100 }], EntrySource.Csv));
        Assert.Equal("entries[1].amount", error.Field);
        await using var db = app.CreateDbContext();
        Assert.False(await db.Donations.AnyAsync(d => d.CampaignId == w.CampaignId));
    }

    [Fact]
    public async Task A_broken_till_export_names_each_bad_line_and_a_commit_of_it_writes_nothing()
    {
        var w = await TestWorld.CreateAsync(app);
        var day = DateTime.Today.ToString("dd/MM/yyyy");
        var rows = await app.Get<TillCsv>().PreviewAsync(Csv($"date;montant;solidons\n{day};10,00;5\n31/02/2026;4,00;2\n{day};abc;2\n{day};-3,00;2\n{day};5,00;0\n"),
            w.CampaignId, w.EstablishmentA);

        Assert.Equal([true, false, false, false, false], rows.Select(r => r.IsValid));
        Assert.Equal(3, rows[1].Line);
        Assert.Contains(rows[1].Errors, e => e.Contains("date"));
        Assert.Contains(rows[2].Errors, e => e.Contains("montant"));
        Assert.Contains(rows[3].Errors, e => e.Contains("supérieur à zéro"));
        Assert.Contains(rows[4].Errors, e => e.Contains("solidons"));

        var withInvalid = rows.Where(r => r.Entry.Amount is not null && r.Entry.Solidons is not null).Select(r => r.Entry).ToList();
        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => app.Get<DonationLedger>().LogBatchAsync(w.MerchantA, withInvalid, EntrySource.Csv));
        await using var db = app.CreateDbContext();
        Assert.False(await db.Donations.AnyAsync(d => d.CampaignId == w.CampaignId));
    }

    [Fact]
    public async Task A_file_without_the_expected_columns_is_refused_with_a_clear_message()
    {
        var w = await TestWorld.CreateAsync(app);
        var rows = await app.Get<TillCsv>().PreviewAsync(Csv("jour,total\n01/01/2026,3\n"), w.CampaignId, w.EstablishmentA);
        var row = Assert.Single(rows);
        Assert.False(row.IsValid);
        Assert.Contains("Colonnes manquantes", row.Errors.Single());
    }

    [Fact]
    public async Task The_ledger_export_lists_entries_and_corrections_in_french_csv_and_only_for_the_owner()
    {
        var w = await TestWorld.CreateAsync(app);
        var ledger = app.Get<DonationLedger>();
        var entry = await ledger.LogAsync(w.MerchantA, new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 12.5m, Solidons = 10 });
        await ledger.ReverseAsync(w.MerchantA, new ReverseDonation { EntryId = entry.Id, Reason = "Doublon" });

        var csv = Encoding.UTF8.GetString(await app.Get<TillCsv>().ExportLedgerAsync(w.MerchantA, w.EstablishmentA, w.CampaignId));
        var lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("numero;collecte_le;montant;solidons", lines[0]);
        Assert.Contains(";12,50;10;", lines[1]);
        Assert.Contains(";-12,50;-10;", lines[2]);
        Assert.Contains("Doublon", lines[2]);
        await Assert.ThrowsAsync<Portal.Web.Features.ForbiddenException>(() => app.Get<TillCsv>().ExportLedgerAsync(w.MerchantB, w.EstablishmentA, w.CampaignId));
    }

    [Fact]
    public async Task The_qr_code_of_a_table_card_is_an_svg_for_known_places_only()
    {
        var w = await TestWorld.CreateAsync(app);
        await using var db = app.CreateDbContext();
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == w.CampaignId);
        var place = await db.Establishments.SingleAsync(e => e.Id == w.EstablishmentA);
        using var client = app.CreateHttpClient();

        var svg = await client.GetAsync($"qr/{campaign.Slug}/{place.Slug}.svg");
        var unknown = await client.GetAsync($"qr/{campaign.Slug}/nulle-part.svg");

        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<svg", (await svg.Content.ReadAsStringAsync()).TrimStart()[..4]);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.EndsWith($"/campagnes/{campaign.Slug}/voter?via={place.Slug}", MerchantEndpoints.VoteUrl(new Microsoft.AspNetCore.Http.DefaultHttpContext { Request = { Scheme = "https", Host = new("solidons.fr") } }.Request, campaign.Slug, place.Slug));
    }
}
