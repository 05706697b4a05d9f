using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Common;

namespace Portal.Web.Features.Admin;

/// <summary>
/// <paramref name="Voters"/>: votes cast from this place's QR codes and tickets, so the association sees which places
/// bring voters; the place's vote tickets minted, of which handed by the till with a bill, and used to vote.
/// </summary>
public sealed record ReconciliationRow(string Establishment, Money Collected, Money Remitted, Money Outstanding, long Solidons, int Entries, int Voters,
    int TicketsMinted = 0, int TicketsOnReceipts = 0, int TicketsUsed = 0);

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
                Minted = db.VoteTickets.Count(k => k.CampaignId == campaignId && k.EstablishmentId == e.Id),
                OnReceipts = db.VoteTickets.Count(k => k.CampaignId == campaignId && k.EstablishmentId == e.Id && k.Source == Portal.Domain.Campaigns.TicketSource.Receipt),
                Used = db.VoteTickets.Count(k => k.CampaignId == campaignId && k.EstablishmentId == e.Id && k.UsedAt != null),
            })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Name).Select(r => new ReconciliationRow(r.Name, new Money(r.CollectedCents), new Money(r.RemittedCents),
            new Money(r.CollectedCents - r.RemittedCents), r.Solidons, r.Entries, r.Voters, r.Minted, r.OnReceipts, r.Used))];
    }
}
