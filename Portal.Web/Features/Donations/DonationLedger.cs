using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;

namespace Portal.Web.Features.Donations;

/// <summary>
/// The write path of the solidon ledger. Each entry is appended and the running totals of the campaign and of the
/// establishment move in the same transaction, by set-based increments rather than read-modify-write, so concurrent
/// merchants never overwrite each other; live dashboards hear of it once the transaction commits.
/// </summary>
public sealed class DonationLedger(
    IDbContextFactory<PortalDbContext> dbFactory,
    IValidator<LogDonation> logValidator,
    IValidator<ReverseDonation> reverseValidator,
    TimeProvider clock)
{
    public async Task<DonationEntry> LogAsync(Actor actor, LogDonation command, EntrySource source = EntrySource.Till,
        CancellationToken cancellationToken = default)
    {
        await logValidator.ValidateAndThrowAsync(command, cancellationToken);
        if (!actor.MayLogFor(command.EstablishmentId))
            throw new ForbiddenException("You may only log solidons for your own establishment.");
        var now = clock.GetUtcNow();

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var campaign = await LoadCampaignAsync(db, command.CampaignId, cancellationToken);
        await RequireEstablishmentInNetworkAsync(db, command.EstablishmentId, campaign, cancellationToken);

        var entry = campaign.LogDonation(command.EstablishmentId, Money.FromEuros(command.Amount!.Value), command.Solidons!.Value,
            command.Bills, command.CollectedAt ?? now, actor.UserId, now, source);
        db.Donations.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await ApplyToTotalsAsync(db, entry, cancellationToken);
        db.EnqueueEvents(campaign);
        await transaction.CommitAsync(cancellationToken);
        return entry;
    }

    /// <summary>A correction: appends the negated entry with its reason; the original stays as it was.</summary>
    public async Task<DonationEntry> ReverseAsync(Actor actor, ReverseDonation command, CancellationToken cancellationToken = default)
    {
        await reverseValidator.ValidateAndThrowAsync(command, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var original = await db.Donations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == command.EntryId, cancellationToken)
            ?? throw new DomainException("donation.not_found", "This entry does not exist.");
        if (!actor.MayLogFor(original.EstablishmentId))
            throw new ForbiddenException("You may only correct your own establishment's entries.");
        var campaign = await LoadCampaignAsync(db, original.CampaignId, cancellationToken);
        var alreadyReversed = await db.Donations.AnyAsync(d => d.ReversesEntryId == original.Id, cancellationToken);

        var reversal = campaign.Reverse(original, alreadyReversed, command.Reason, actor.UserId, now);
        db.Donations.Add(reversal);
        await db.SaveChangesAsync(cancellationToken);
        await ApplyToTotalsAsync(db, reversal, cancellationToken);
        db.EnqueueEvents(campaign);
        await transaction.CommitAsync(cancellationToken);
        return reversal;
    }

    private static async Task<Campaign> LoadCampaignAsync(PortalDbContext db, int campaignId, CancellationToken cancellationToken) =>
        await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == campaignId, cancellationToken)
            ?? throw new DomainException("campaign.not_found", "This campaign does not exist.");

    private static async Task RequireEstablishmentInNetworkAsync(PortalDbContext db, int establishmentId, Campaign campaign,
        CancellationToken cancellationToken)
    {
        var networkId = await db.Establishments.Where(e => e.Id == establishmentId).Select(e => (int?)e.NetworkId)
            .SingleOrDefaultAsync(cancellationToken);
        if (networkId != campaign.NetworkId)
            throw new DomainException("donation.other_network", "This establishment does not collect for this campaign.");
    }

    internal static async Task ApplyToTotalsAsync(PortalDbContext db, DonationEntry entry, CancellationToken cancellationToken)
    {
        var cents = entry.Amount.Cents;
        var solidons = entry.Solidons;
        var bills = entry.Bills ?? 0;
        var countedSolidons = entry.Bills is null ? 0 : entry.Solidons;

        await db.Campaigns.Where(c => c.Id == entry.CampaignId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.CollectedCents, c => c.CollectedCents + cents)
            .SetProperty(c => c.Solidons, c => c.Solidons + solidons)
            .SetProperty(c => c.Entries, c => c.Entries + 1)
            .SetProperty(c => c.Sequence, c => c.Sequence + 1), cancellationToken);

        var updated = await db.EstablishmentTallies
            .Where(t => t.CampaignId == entry.CampaignId && t.EstablishmentId == entry.EstablishmentId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.CollectedCents, t => t.CollectedCents + cents)
                .SetProperty(t => t.Solidons, t => t.Solidons + solidons)
                .SetProperty(t => t.Bills, t => t.Bills + bills)
                .SetProperty(t => t.SolidonsOnCountedBills, t => t.SolidonsOnCountedBills + countedSolidons)
                .SetProperty(t => t.Entries, t => t.Entries + 1), cancellationToken);
        if (updated == 0)
        {
            db.EstablishmentTallies.Add(new EstablishmentTally
            {
                CampaignId = entry.CampaignId,
                EstablishmentId = entry.EstablishmentId,
                CollectedCents = cents,
                Solidons = solidons,
                Bills = bills,
                SolidonsOnCountedBills = countedSolidons,
                Entries = 1,
            });
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
