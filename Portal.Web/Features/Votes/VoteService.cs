using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;

namespace Portal.Web.Features.Votes;

public sealed record CastVote(int CampaignId, int ProjectId, int? ViaEstablishmentId);

/// <summary>
/// One counted vote per contributor per campaign: the domain decides (count, move, or nothing), the unique index
/// on (campaign, contributor) guarantees it, and vote counts move by set-based increments in the same transaction.
/// </summary>
public sealed class VoteService(IDbContextFactory<PortalDbContext> dbFactory, WriteGate gate, TimeProvider clock)
{
    public async Task<VoteOutcome> CastAsync(Actor actor, CastVote command, CancellationToken cancellationToken = default)
    {
        if (!actor.Roles.Contains(Roles.Contributor) && !actor.IsAdmin)
            throw new ForbiddenException("Only contributors vote.");
        try
        {
            return await CastOnceAsync(actor, command, cancellationToken);
        }
        catch (DbUpdateException) when (!cancellationToken.IsCancellationRequested)
        {
            // Two first votes of the same person raced and the unique index refused the second (SQL Server runs
            // them side by side; SQLite serialises writers). The vote now exists: run again, which moves it if needed.
            return await CastOnceAsync(actor, command, cancellationToken);
        }
    }

    private async Task<VoteOutcome> CastOnceAsync(Actor actor, CastVote command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        using var turn = await gate.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == command.CampaignId, cancellationToken)
            ?? throw new DomainException("campaign.not_found", "This campaign does not exist.");
        var current = await db.Votes.SingleOrDefaultAsync(v => v.CampaignId == command.CampaignId && v.ContributorId == actor.UserId, cancellationToken);
        var previousProject = current?.ProjectId;
        var via = command.ViaEstablishmentId is { } e && await db.Establishments.AnyAsync(x => x.Id == e && x.NetworkId == campaign.NetworkId, cancellationToken)
            ? command.ViaEstablishmentId : null;

        var (vote, outcome) = campaign.CastVote(current, actor.UserId, command.ProjectId, via, now);
        if (outcome == VoteOutcome.Unchanged) return outcome;
        if (outcome == VoteOutcome.Counted) db.Votes.Add(vote);
        await db.SaveChangesAsync(cancellationToken);

        await db.Candidates.Where(c => c.CampaignId == campaign.Id && c.ProjectId == command.ProjectId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Votes, c => c.Votes + 1), cancellationToken);
        if (outcome == VoteOutcome.Moved)
            await db.Candidates.Where(c => c.CampaignId == campaign.Id && c.ProjectId == previousProject)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Votes, c => c.Votes - 1), cancellationToken);
        var newVotes = outcome == VoteOutcome.Counted ? 1 : 0;
        await db.Campaigns.Where(c => c.Id == campaign.Id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.VotesCast, c => c.VotesCast + newVotes)
            .SetProperty(c => c.Sequence, c => c.Sequence + 1), cancellationToken);
        db.EnqueueEvents(campaign);
        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }
}
