using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;

namespace Portal.Web.Features.Donations;

/// <summary>
/// The solidon ledger's commands: validation and permission, then the domain decides and <see cref="CampaignWriter"/>
/// appends the entry and moves the running totals of the campaign and of the establishment in the same transaction;
/// live dashboards hear of it once it commits. Appends from concurrent merchants share one commit (<see cref="LedgerCommits"/>).
/// </summary>
public sealed class DonationLedger(
    IDbContextFactory<PortalDbContext> dbFactory,
    IValidator<LogDonation> logValidator,
    IValidator<ReverseDonation> reverseValidator,
    LedgerCommits commits,
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
    /// Several entries at once, all or nothing: the end-of-day batch, a till export. Every entry is validated before
    /// anything is written; errors name the entry (Entries[3].Amount). Concurrent writes share one commit.
    /// </summary>
    public async Task<IReadOnlyList<DonationEntry>> LogBatchAsync(Actor actor, IReadOnlyList<LogDonation> commands,
        EntrySource source, CancellationToken cancellationToken = default)
    {
        Check(actor, commands);
        var result = await commits.AppendAsync(actor, commands, source).WaitAsync(cancellationToken);
        return result.Entries!;
    }

    /// <summary>
    /// Validation and permission, everything that needs no database: the till API runs it before its own append. The
    /// rules are all synchronous, and every till write passes here: validated synchronously, a write costs its caller
    /// none of FluentValidation's asynchronous machinery.
    /// </summary>
    public void Check(Actor actor, IReadOnlyList<LogDonation> commands)
    {
        ValidateAll(commands);
        if (commands.Any(c => !actor.MayLogFor(c.EstablishmentId)))
            throw new ForbiddenException("You may only log solidons for your own establishment.");
    }

    private void ValidateAll(IReadOnlyList<LogDonation> commands)
    {
        if (commands.Count == 0)
            throw new ValidationException([new FluentValidation.Results.ValidationFailure("Entries", "At least one entry is needed.")]);
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        for (var i = 0; i < commands.Count; i++)
        {
            var result = logValidator.Validate(commands[i]);
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
        DonationEntry reversal = null!;
        await db.InTransactionAsync(async ct =>
        {
            var original = await db.Donations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == command.EntryId, ct)
                ?? throw new DomainException("donation.not_found", "This entry does not exist.");
            if (!actor.MayLogFor(original.EstablishmentId))
                throw new ForbiddenException("You may only correct your own establishment's entries.");
            var campaign = await LoadCampaignAsync(db, original.CampaignId, ct);
            var alreadyReversed = await db.Donations.AnyAsync(d => d.ReversesEntryId == original.Id, ct);

            var change = campaign.Reverse(original, alreadyReversed, command.Reason, actor.UserId, now);
            await db.ApplyAsync(change, ct);
            reversal = change.Entries[0];
        }, cancellationToken);
        return reversal;
    }

    private static async Task<Campaign> LoadCampaignAsync(PortalDbContext db, int campaignId, CancellationToken cancellationToken) =>
        await db.Campaigns.AsNoTracking().IgnoreAutoIncludes().SingleOrDefaultAsync(c => c.Id == campaignId, cancellationToken)
            ?? throw new DomainException("campaign.not_found", "This campaign does not exist.");
}
