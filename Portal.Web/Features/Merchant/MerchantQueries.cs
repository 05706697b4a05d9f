using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;

namespace Portal.Web.Features.Merchant;

public sealed record MerchantPlace(int EstablishmentId, string Name, IReadOnlyList<MerchantCampaign> OpenCampaigns);

public sealed record MerchantCampaign(int Id, string Name, string Slug, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

public sealed record PlaceTotals(Money Today, long SolidonsToday, Money Campaign, long Solidons, Money Remitted, double? ParticipationRate,
    IReadOnlyList<LedgerLine> Recent)
{
    public Money Outstanding => Campaign - Remitted;
}

public sealed record LedgerLine(long Id, DateTimeOffset CollectedAt, DateTimeOffset LoggedAt, Money Amount, int Solidons, int? Bills,
    EntrySource Source, long? ReversesEntryId, string? Reason, bool IsReversed);

/// <summary>What a merchant sees of their own establishments; every query is scoped by the actor's establishments.</summary>
public sealed class MerchantQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<MerchantPlace>> PlacesAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var places = db.Establishments.AsNoTracking().Where(e => e.ArchivedAt == null);
        if (!actor.IsAdmin) places = places.Where(e => actor.EstablishmentIds.Contains(e.Id));
        var rows = await places.OrderBy(e => e.Name).Select(e => new
        {
            e.Id,
            e.Name,
            Campaigns = db.Campaigns.Where(c => c.NetworkId == e.NetworkId && c.Status == CampaignStatus.Open)
                .Select(c => new MerchantCampaign(c.Id, c.Name, c.Slug, c.StartsAt, c.EndsAt)).ToList(),
        }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new MerchantPlace(r.Id, r.Name, r.Campaigns))];
    }

    public async Task<PlaceTotals> TotalsAsync(Actor actor, int establishmentId, int campaignId, DateTimeOffset startOfToday,
        CancellationToken cancellationToken = default)
    {
        if (!actor.MayLogFor(establishmentId)) throw new ForbiddenException("Not your establishment.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tally = await db.EstablishmentTallies.AsNoTracking()
            .SingleOrDefaultAsync(t => t.CampaignId == campaignId && t.EstablishmentId == establishmentId, cancellationToken)
            ?? new EstablishmentTally();
        var ledger = db.Donations.AsNoTracking().Where(d => d.CampaignId == campaignId && d.EstablishmentId == establishmentId);
        var today = await ledger.Where(d => d.CollectedAt >= startOfToday).Select(d => new { d.AmountCents, d.Solidons }).ToListAsync(cancellationToken);
        var recent = await ledger.OrderByDescending(d => d.Id).Take(15)
            .Select(d => new
            {
                d.Id, d.CollectedAt, d.LoggedAt, d.AmountCents, d.Solidons, d.Bills, d.Source, d.ReversesEntryId, d.Reason,
                IsReversed = db.Donations.Any(r => r.ReversesEntryId == d.Id),
            })
            .ToListAsync(cancellationToken);
        return new PlaceTotals(
            new Money(today.Sum(d => d.AmountCents)), today.Sum(d => (long)d.Solidons),
            tally.Collected, tally.Solidons, tally.Remitted,
            tally.Bills > 0 ? (double)tally.SolidonsOnCountedBills / tally.Bills : null,
            [.. recent.Select(d => new LedgerLine(d.Id, d.CollectedAt, d.LoggedAt, new Money(d.AmountCents), d.Solidons, d.Bills, d.Source, d.ReversesEntryId, d.Reason, d.IsReversed))]);
    }
}
