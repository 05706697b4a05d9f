using Portal.Domain.Common;
using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Web.Features.Donations;

namespace Portal.Web.Features.Merchant;

/// <summary>One line of a till's end-of-day export, as read, with what is wrong with it.</summary>
public sealed record CsvRow(int Line, LogDonation Entry, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Till exports in and ledgers out, in the French spreadsheet convention (";" separator, "12,50" amounts, dd/MM/yyyy
/// dates), which is what a French till or Excel produces.
/// </summary>
public sealed class TillCsv(IValidator<LogDonation> validator, IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    public const long MaxBytes = 1_000_000;

    private static CsvConfiguration Configuration => new(French)
    {
        Delimiter = ";",
        PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
        MissingFieldFound = null,
        HeaderValidated = null,
        BadDataFound = null,
    };

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static bool CentsAtMost(string amount)
    {
        var point = amount.LastIndexOfAny([',', '.']);
        return point < 0 || amount[(point + 1)..].TrimEnd('0').Length <= 2;
    }

    /// <summary>Reads an export (columns date;montant;solidons;additions) into a preview: nothing is written here.</summary>
    public async Task<IReadOnlyList<CsvRow>> PreviewAsync(Stream csv, int campaignId, int establishmentId, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(csv, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var parser = new CsvReader(reader, Configuration);
        var rows = new List<CsvRow>();
        if (!await parser.ReadAsync() || !parser.ReadHeader())
            return [new CsvRow(1, new LogDonation(), ["Fichier vide : la première ligne doit nommer les colonnes date;montant;solidons;additions."])];
        var missing = new[] { "date", "montant", "solidons" }.Where(h => !parser.HeaderRecord!.Select(x => x.Trim().ToLowerInvariant()).Contains(h)).ToList();
        if (missing.Count > 0)
            return [new CsvRow(1, new LogDonation(), [$"Colonnes manquantes : {string.Join(", ", missing)}."])];

        while (await parser.ReadAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = parser.Parser.Row;
            var errors = new List<string>();
            var entry = new LogDonation { CampaignId = campaignId, EstablishmentId = establishmentId };
            var date = parser.GetField("date")?.Trim();
            if (DateTime.TryParseExact(date, ["dd/MM/yyyy", "dd/MM/yyyy HH:mm", "yyyy-MM-dd", "yyyy-MM-dd HH:mm"], French, DateTimeStyles.AssumeLocal, out var at))
                // A day without a time means the end of that day's service, or now when today's service is still on
                // (the end-of-day form's rule): today's file imported at 22:00 is not "in the future".
                entry.CollectedAt = at.TimeOfDay == TimeSpan.Zero
                    ? Min(new DateTimeOffset(at.AddHours(23)), clock.GetLocalNow())
                    : new DateTimeOffset(at);
            else errors.Add($"date « {date} » illisible (attendu JJ/MM/AAAA)");
            var amountText = parser.GetField("montant")?.Trim().Replace("€", "").Trim();
            if (!decimal.TryParse(amountText, NumberStyles.Number, French, out var amount)) errors.Add($"montant « {parser.GetField("montant")} » illisible");
            // Parsing rounds past the 28th digit: the text itself says whether there are more than cents.
            else if (!CentsAtMost(amountText!)) errors.Add($"montant « {amountText} » : deux décimales au plus (le montant n’est jamais arrondi)");
            else entry.Amount = amount;
            if (int.TryParse(parser.GetField("solidons")?.Trim(), out var solidons)) entry.Solidons = solidons;
            else errors.Add($"solidons « {parser.GetField("solidons")} » illisible");
            if (parser.TryGetField<string>("additions", out var billsText) && !string.IsNullOrWhiteSpace(billsText))
            {
                if (int.TryParse(billsText.Trim(), out var bills)) entry.Bills = bills;
                else errors.Add($"additions « {billsText} » illisible");
            }
            if (errors.Count == 0)
                errors.AddRange((await validator.ValidateAsync(entry, cancellationToken)).Errors.Select(e => e.ErrorMessage));
            rows.Add(new CsvRow(line, entry, errors));
            if (rows.Count > 5_000) { rows.Add(new CsvRow(line, entry, ["Plus de 5 000 lignes : découpez le fichier."])); break; }
        }
        if (rows.Count == 0) rows.Add(new CsvRow(2, new LogDonation(), ["Aucune ligne de données."]));
        return rows;
    }

    /// <summary>The establishment's ledger for a campaign, every line including corrections, for its own accounts.</summary>
    public async Task<byte[]> ExportLedgerAsync(Actor actor, int establishmentId, int campaignId, CancellationToken cancellationToken = default)
    {
        if (!actor.MayLogFor(establishmentId)) throw new ForbiddenException("Not your establishment.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, cancellationToken))
            throw new DomainException("campaign.not_found", "This campaign does not exist.");
        var lines = await db.Donations.AsNoTracking().Where(d => d.CampaignId == campaignId && d.EstablishmentId == establishmentId)
            .OrderBy(d => d.Id).ToListAsync(cancellationToken);
        return await WriteAsync(csv =>
        {
            csv.WriteField("numero"); csv.WriteField("collecte_le"); csv.WriteField("montant"); csv.WriteField("solidons");
            csv.WriteField("additions"); csv.WriteField("origine"); csv.WriteField("corrige_la_ligne"); csv.WriteField("motif"); csv.WriteField("saisi_le");
            csv.NextRecord();
            foreach (var d in lines)
            {
                csv.WriteField(d.Id); csv.WriteField(d.CollectedAt.ToLocalTime().ToString("dd/MM/yyyy HH:mm", French)); csv.WriteField(d.Amount.Euros.ToString("0.00", French));
                csv.WriteField(d.Solidons); csv.WriteField(d.Bills); csv.WriteField(d.Source.ToString()); csv.WriteField(d.ReversesEntryId);
                csv.WriteField(d.Reason); csv.WriteField(d.LoggedAt.ToLocalTime().ToString("dd/MM/yyyy HH:mm", French));
                csv.NextRecord();
            }
        });
    }

    internal static async Task<byte[]> WriteAsync(Action<CsvWriter> write)
    {
        await using var buffer = new MemoryStream();
        await using (var writer = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        await using (var csv = new CsvWriter(writer, new CsvConfiguration(French) { Delimiter = ";" }))
            write(csv);
        return buffer.ToArray();
    }
}
