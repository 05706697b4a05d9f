using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Loans;
using Portal.Web.Features.Merchant;
using Portal.Web.Hosting;

namespace Portal.Web.Features.Admin;

/// <summary>CSV exports for the association's accounts (staff), and the yearly volunteering summary of a structure.</summary>
public static class AdminExports
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    // The years a volunteering summary can cover: the association's first loans are of 2020.
    private const int MinYear = 2000, MaxYear = 2100;

    public static void MapAdminExports(this WebApplication app)
    {
        var admin = app.MapGroup("/admin/export").RequireAuthorization(Policies.Admin);
        admin.MapGet("/campagnes.csv", async (IDbContextFactory<PortalDbContext> dbFactory, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var rows = await db.Campaigns.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
            return await Csv("campagnes", ["id", "nom", "statut", "debut", "fin", "objectif", "collecte", "solidons", "votes", "non_attribue"], rows.Select(c => new object?[]
                { c.Id, c.Name, c.Status, c.StartsAt.ToString("d", French), c.EndsAt.ToString("d", French), E(c.Target.Euros), E(c.Collected.Euros), c.Solidons, c.VotesCast, E(c.Unallocated.Euros) }));
        });
        admin.MapGet("/prets.csv", async (IDbContextFactory<PortalDbContext> dbFactory, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var loans = await db.Loans.AsNoTracking().Join(db.Projects, l => l.ProjectId, p => p.Id, (l, p) => new { l, p.Name }).ToListAsync(ct);
            return await Csv("prets", ["id", "projet", "verse_le", "principal", "part_especes", "part_heures", "taux_horaire", "rembourse_especes", "heures_confirmees", "valeur_heures", "restant_du"],
                loans.Select(x => new object?[] { x.l.Id, x.Name, x.l.DisbursedOn.ToString("d", French), E(x.l.Principal.Euros), E(x.l.CashShare.Euros), E(x.l.HoursShare.Euros),
                    x.l.Rate.Euros, E(x.l.CashRepaid.Euros), x.l.ConfirmedHours.Value.ToString(French), E(x.l.ConfirmedHoursValue.Euros), E(x.l.Outstanding.Euros) }));
        });
        admin.MapGet("/heures.csv", async (IDbContextFactory<PortalDbContext> dbFactory, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await HoursCsv("heures", await HoursAsync(db, db.HoursEntries, ct));
        });

        app.MapGet("/admin/rapprochement.csv", async (int campagne, ClaimsPrincipal user, ActorResolver actors, ReconciliationQuery query, CancellationToken ct) =>
        {
            var rows = await query.ReadAsync(await actors.ResolveAsync(user, ct), campagne, ct);
            return await Csv($"rapprochement-campagne-{campagne}", ["etablissement", "collecte", "reverse", "reste_a_reverser", "solidons", "lignes", "votants_par_qr"],
                rows.Select(r => new object?[] { r.Establishment, E(r.Collected.Euros), E(r.Remitted.Euros), E(r.Outstanding.Euros), r.Solidons, r.Entries, r.Voters }));
        }).RequireAuthorization(Policies.Admin);

        app.MapGet("/structure/bilan-{year:int}.csv", async (int year, ClaimsPrincipal user, ActorResolver actors, IDbContextFactory<PortalDbContext> dbFactory, CancellationToken ct) =>
        {
            var actor = await actors.ResolveAsync(user, ct);
            if (actor.BeneficiaryId is not { } structure) return Results.Forbid();
            if (year is < MinYear or > MaxYear)
                return Results.Problem(title: $"Choose a year between {MinYear} and {MaxYear}.", statusCode: StatusCodes.Status404NotFound);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var from = new DateOnly(year, 1, 1);
            var to = new DateOnly(year, 12, 31);
            return await HoursCsv($"bilan-benevolat-{year}", await HoursAsync(db, db.HoursEntries.Where(h => h.BeneficiaryId == structure && h.WorkedOn >= from && h.WorkedOn <= to), ct));
        }).RequireAuthorization(Policies.Beneficiary);
    }

    private sealed record HoursRow(HoursEntry Entry, string Project, string Structure);

    private static async Task<List<HoursRow>> HoursAsync(PortalDbContext db, IQueryable<HoursEntry> entries, CancellationToken ct) =>
        await entries.AsNoTracking()
            .Join(db.Loans, h => h.LoanId, l => l.Id, (h, l) => new { h, l.ProjectId })
            .Join(db.Projects, x => x.ProjectId, p => p.Id, (x, p) => new { x.h, Project = p.Name })
            .Join(db.Beneficiaries, x => x.h.BeneficiaryId, b => b.Id, (x, b) => new { x.h, x.Project, Structure = b.Name })
            .OrderBy(x => x.h.WorkedOn).ThenBy(x => x.h.Id)
            .Select(x => new HoursRow(x.h, x.Project, x.Structure)).ToListAsync(ct);

    private static Task<IResult> HoursCsv(string name, List<HoursRow> rows) =>
        Csv(name, ["date", "projet", "structure", "competence", "heures", "statut", "description"], rows.Select(r => new object?[]
            { r.Entry.WorkedOn.ToString("d", French), r.Project, r.Structure, r.Entry.Skill, r.Entry.Hours.Value.ToString(French), r.Entry.Status, r.Entry.Description }));

    private static string E(decimal euros) => euros.ToString("0.00", French);

    private static async Task<IResult> Csv(string name, string[] headers, IEnumerable<object?[]> rows)
    {
        var bytes = await TillCsv.WriteAsync(csv =>
        {
            foreach (var header in headers) csv.WriteField(header);
            csv.NextRecord();
            foreach (var row in rows)
            {
                foreach (var field in row) csv.WriteField(field);
                csv.NextRecord();
            }
        });
        return Results.File(bytes, "text/csv; charset=utf-8", $"{name}.csv");
    }
}
