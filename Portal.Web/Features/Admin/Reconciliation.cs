using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Common;
using Portal.Web.Features.Merchant;
using Portal.Web.Hosting;

namespace Portal.Web.Features.Admin;

/// <summary><paramref name="Voters"/>: votes cast from this place's QR codes, so the association sees which places bring voters.</summary>
public sealed record ReconciliationRow(string Establishment, Money Collected, Money Remitted, Money Outstanding, int Solidons, int Entries, int Voters);

/// <summary>Collected, remitted and outstanding per establishment for one campaign, from the running tallies.</summary>
public sealed class ReconciliationQuery(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<ReconciliationRow>> ReadAsync(Actor actor, int campaignId, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.EstablishmentTallies.AsNoTracking().Where(t => t.CampaignId == campaignId)
            .Join(db.Establishments, t => t.EstablishmentId, e => e.Id, (t, e) => new
            {
                e.Name, t.CollectedCents, t.RemittedCents, t.Solidons, t.Entries,
                Voters = db.Votes.Count(v => v.CampaignId == campaignId && v.ViaEstablishmentId == e.Id),
            })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Name).Select(r => new ReconciliationRow(r.Name, new Money(r.CollectedCents), new Money(r.RemittedCents),
            new Money(r.CollectedCents - r.RemittedCents), r.Solidons, r.Entries, r.Voters))];
    }

    public static void Map(WebApplication app) =>
        app.MapGet("/admin/rapprochement.csv", async (int campagne, ClaimsPrincipal user, ActorResolver actors, ReconciliationQuery query, CancellationToken ct) =>
        {
            var rows = await query.ReadAsync(await actors.ResolveAsync(user, ct), campagne, ct);
            var french = CultureInfo.GetCultureInfo("fr-FR");
            var bytes = await TillCsv.WriteAsync(csv =>
            {
                foreach (var header in new[] { "etablissement", "collecte", "reverse", "reste_a_reverser", "solidons", "lignes", "votants_par_qr" }) csv.WriteField(header);
                csv.NextRecord();
                foreach (var r in rows)
                {
                    csv.WriteField(r.Establishment); csv.WriteField(r.Collected.Euros.ToString("0.00", french)); csv.WriteField(r.Remitted.Euros.ToString("0.00", french));
                    csv.WriteField(r.Outstanding.Euros.ToString("0.00", french)); csv.WriteField(r.Solidons); csv.WriteField(r.Entries); csv.WriteField(r.Voters);
                    csv.NextRecord();
                }
            });
            return Results.File(bytes, "text/csv; charset=utf-8", $"rapprochement-campagne-{campagne}.csv");
        }).RequireAuthorization(Policies.Admin);
}
