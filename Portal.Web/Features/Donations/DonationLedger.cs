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
    WriteGate gate,
    TimeProvider clock)
{
    public async Task<DonationEntry> LogAsync(Actor actor, LogDonation command, EntrySource source = EntrySource.Till,
        CancellationToken cancellationToken = default)
    {
        var entries = await LogBatchAsync(actor, [command], source, cancellationToken);
        return entries[0];
    }

    /// <summary>
    /// Several entries at once, all or nothing: the end-of-day batch, a till export, the API's batch endpoint.
    /// Every entry is validated before anything is written; errors name the entry (Entries[3].Amount).
    /// </summary>
    public async Task<IReadOnlyList<DonationEntry>> LogBatchAsync(Actor actor, IReadOnlyList<LogDonation> commands,
        EntrySource source, CancellationToken cancellationToken = default)
    {
        using var turn = await gate.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var entries = await AppendAsync(db, actor, commands, source, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return entries;
    }

    /// <summary>Appends entries inside the caller's transaction, so the API can store its idempotency record with them.</summary>
    public async Task<IReadOnlyList<DonationEntry>> AppendAsync(PortalDbContext db, Actor actor, IReadOnlyList<LogDonation> commands,
        EntrySource source, CancellationToken cancellationToken)
    {
        await ValidateAllAsync(commands, cancellationToken);
        if (commands.Any(c => !actor.MayLogFor(c.EstablishmentId)))
            throw new ForbiddenException("You may only log solidons for your own establishment.");
        var now = clock.GetUtcNow();
        var campaigns = new Dictionary<int, Campaign>();
        var checkedPlaces = new HashSet<(int Campaign, int Establishment)>();
        var entries = new List<DonationEntry>(commands.Count);
        foreach (var command in commands)
        {
            if (!campaigns.TryGetValue(command.CampaignId, out var campaign))
                campaign = campaigns[command.CampaignId] = await LoadCampaignAsync(db, command.CampaignId, cancellationToken);
            if (checkedPlaces.Add((command.CampaignId, command.EstablishmentId)))
                await RequireEstablishmentInNetworkAsync(db, command.EstablishmentId, campaign, cancellationToken);
            var entry = campaign.LogDonation(command.EstablishmentId, Money.FromEuros(command.Amount!.Value), command.Solidons!.Value,
                command.Bills, command.CollectedAt ?? now, actor.UserId, now, source);
            db.Donations.Add(entry);
            entries.Add(entry);
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var entry in entries) await ApplyToTotalsAsync(db, entry, cancellationToken);
        foreach (var campaign in campaigns.Values) db.EnqueueEvents(campaign);
        return entries;
    }

    private async Task ValidateAllAsync(IReadOnlyList<LogDonation> commands, CancellationToken cancellationToken)
    {
        if (commands.Count == 0)
            throw new ValidationException([new FluentValidation.Results.ValidationFailure("Entries", "At least one entry is needed.")]);
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        for (var i = 0; i < commands.Count; i++)
        {
            var result = await logValidator.ValidateAsync(commands[i], cancellationToken);
            failures.AddRange(result.Errors.Select(e => commands.Count == 1 ? e
                : new FluentValidation.Results.ValidationFailure($"Entries[{i}].{e.PropertyName}", e.ErrorMessage, e.AttemptedValue)));
        }
        if (failures.Count > 0) throw new ValidationException(failures);
    }

    /// <summary>A correction: appends the negated entry with its reason; the original stays as it was.</summary>
    public async Task<DonationEntry> ReverseAsync(Actor actor, ReverseDonation command, CancellationToken cancellationToken = default)
    {
        await reverseValidator.ValidateAndThrowAsync(command, cancellationToken);
        var now = clock.GetUtcNow();
        using var turn = await gate.EnterAsync(cancellationToken);
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

    // The ledger's rules do not look at the candidates: skip their join on the hot path.
    private static async Task<Campaign> LoadCampaignAsync(PortalDbContext db, int campaignId, CancellationToken cancellationToken) =>
        await db.Campaigns.AsNoTracking().IgnoreAutoIncludes().SingleOrDefaultAsync(c => c.Id == campaignId, cancellationToken)
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
