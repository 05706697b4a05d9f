using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Loans;

namespace Portal.Web.Features.Campaigns;

/// <summary>
/// The association staff's moves on a campaign: open, close, allocate, mark disbursed. Each names the version the
/// staff member saw, so two people acting on the same campaign at once cannot both win: the second is told.
/// </summary>
public sealed class CampaignLifecycle(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public Task OpenAsync(Actor actor, int campaignId, int seenVersion, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, campaignId, seenVersion, async (db, c) =>
        {
            var opened = c.Open(clock.GetUtcNow());
            // Every establishment of the network gets its tally row now, so the ledger's hot path only ever updates.
            var establishments = await db.Establishments.Where(e => e.NetworkId == c.NetworkId).Select(e => e.Id).ToListAsync(cancellationToken);
            var existing = await db.EstablishmentTallies.Where(t => t.CampaignId == c.Id).Select(t => t.EstablishmentId).ToListAsync(cancellationToken);
            db.EstablishmentTallies.AddRange(establishments.Except(existing).Select(id => new EstablishmentTally { CampaignId = c.Id, EstablishmentId = id }));
            return opened;
        }, cancellationToken);

    public Task CloseAsync(Actor actor, int campaignId, int seenVersion, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, campaignId, seenVersion, (_, c) => Task.FromResult(c.Close(clock.GetUtcNow())), cancellationToken);

    public Task AllocateAsync(Actor actor, int campaignId, int seenVersion, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, campaignId, seenVersion, (_, c) => Task.FromResult(c.Allocate(clock.GetUtcNow())), cancellationToken);

    /// <summary>One zero-interest loan per funded project, equal to its allocation; the campaign becomes Disbursed.</summary>
    public async Task<IReadOnlyList<int>> DisburseAsync(Actor actor, int campaignId, int seenVersion, DateOnly disbursedOn,
        CancellationToken cancellationToken = default)
    {
        List<Loan> loans = [];
        await ChangeAsync(actor, campaignId, seenVersion, (db, c) =>
        {
            loans = [.. c.Candidates.Where(x => x.Allocated.IsPositive).Select(x => Loan.Disburse(c, x.ProjectId, disbursedOn))];
            db.Loans.AddRange(loans);
            return Task.FromResult(c.MarkDisbursed(clock.GetUtcNow()));
        }, cancellationToken);
        return [.. loans.Select(l => l.Id)];
    }

    public Task EditDraftAsync(Actor actor, int campaignId, int seenVersion, Func<Campaign, CampaignChange> edit, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, campaignId, seenVersion, (_, c) => Task.FromResult(edit(c)), cancellationToken);

    public async Task<int> CreateAsync(Actor actor, Campaign draft, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Campaigns.AnyAsync(c => c.Slug == draft.Slug, cancellationToken))
            throw new DomainException("campaign.slug_taken", "Another campaign already has this name.");
        db.Campaigns.Add(draft);
        await db.SaveChangesAsync(cancellationToken);
        return draft.Id;
    }

    private async Task ChangeAsync(Actor actor, int campaignId, int seenVersion, Func<PortalDbContext, Campaign, Task<CampaignChange>> change,
        CancellationToken cancellationToken)
    {
        actor.RequireAdmin();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.InTransactionAsync(async ct =>
        {
            var campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == campaignId, ct)
                ?? throw new DomainException("campaign.not_found", "This campaign does not exist.");
            // The UPDATE is conditioned on the version the staff member saw, not the one just read.
            db.Entry(campaign).Property(c => c.Version).OriginalValue = seenVersion;
            // The writer saves the tracked campaign with its new status, under that version, and moves its sequence on.
            await db.ApplyAsync(await change(db, campaign), ct);
        }, cancellationToken);
    }
}
