using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Common;

namespace Portal.Web.Features.Admin;

/// <summary><paramref name="Voters"/>: votes cast from this place's QR codes, so the association sees which places bring voters.</summary>
public sealed record ReconciliationRow(string Establishment, Money Collected, Money Remitted, Money Outstanding, long Solidons, int Entries, int Voters);

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
}
