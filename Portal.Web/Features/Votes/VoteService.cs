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
/// Votes cast at the same moment (a room scanning an event's QR codes) share one commit (<see cref="GroupCommit{TRequest, TResult}"/>);
/// within it they are decided in arrival order, so two votes of one person still count once.
/// </summary>
public sealed class VoteService
{
    private readonly TimeProvider _clock;
    private readonly GroupCommit<Ballot, VoteOutcome> _commits;

    public VoteService(IDbContextFactory<PortalDbContext> dbFactory, WriteGate gate, TimeProvider clock, ILogger<VoteService> logger)
    {
        _clock = clock;
        _commits = new(dbFactory, gate, WriteAsync, logger);
    }

    public async Task<VoteOutcome> CastAsync(Actor actor, CastVote command, CancellationToken cancellationToken = default)
    {
        if (!actor.Roles.Contains(Roles.Contributor) && !actor.IsAdmin)
            throw new ForbiddenException("Only contributors vote.");
        try
        {
            return await _commits.SubmitAsync(new Ballot(actor.UserId, command)).WaitAsync(cancellationToken);
        }
        catch (DbUpdateException) when (!cancellationToken.IsCancellationRequested)
        {
            // Two first votes of the same person raced on two nodes (or side by side on SQL Server) and the unique
            // index refused the second. The vote now exists: cast again, which moves it if needed.
            return await _commits.SubmitAsync(new Ballot(actor.UserId, command)).WaitAsync(cancellationToken);
        }
    }

    private async Task WriteAsync(PortalDbContext db, IReadOnlyList<GroupCommit<Ballot, VoteOutcome>.Write> batch)
    {
        var now = _clock.GetUtcNow();
        var ballots = batch.Select(w => w.Request).ToList();

        // Everything the batch's rules need, read once: its campaigns (with their candidates), the voters' current
        // votes (tracked, since a move changes them), and the networks of the places votes came through.
        var campaignIds = ballots.Select(v => v.Command.CampaignId).Distinct().ToList();
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => campaignIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
        var voters = ballots.Select(v => v.ContributorId).Distinct().ToList();
        var current = await db.Votes.Where(v => campaignIds.Contains(v.CampaignId) && voters.Contains(v.ContributorId))
            .ToDictionaryAsync(v => (v.CampaignId, v.ContributorId));
        var placeIds = ballots.Select(v => v.Command.ViaEstablishmentId).OfType<int>().Distinct().ToList();
        var networks = placeIds.Count == 0 ? [] : await db.Establishments.Where(e => placeIds.Contains(e.Id))
            .Select(e => new { e.Id, e.NetworkId }).ToDictionaryAsync(e => e.Id, e => e.NetworkId);

        var projectMoves = new Dictionary<(int CampaignId, int ProjectId), int>();
        var newVotes = new Dictionary<int, int>();
        foreach (var pending in batch)
        {
            var (contributorId, command) = pending.Request;
            if (!campaigns.TryGetValue(command.CampaignId, out var campaign))
            {
                pending.Refuse(new DomainException("campaign.not_found", "This campaign does not exist."));
                continue;
            }
            current.TryGetValue((campaign.Id, contributorId), out var existing);
            var previousProject = existing?.ProjectId;
            // A place of another network (a stale or forged QR code) is not credited; the vote still counts.
            int? via = command.ViaEstablishmentId is { } place && networks.TryGetValue(place, out var network) && network == campaign.NetworkId
                ? place : null;
            VoteOutcome outcome;
            try
            {
                (var vote, outcome) = campaign.CastVote(existing, contributorId, command.ProjectId, via, now);
                if (outcome == VoteOutcome.Counted)
                {
                    db.Votes.Add(vote);
                    current[(campaign.Id, contributorId)] = vote;
                    newVotes[campaign.Id] = newVotes.GetValueOrDefault(campaign.Id) + 1;
                }
                if (outcome != VoteOutcome.Unchanged)
                {
                    projectMoves[(campaign.Id, command.ProjectId)] = projectMoves.GetValueOrDefault((campaign.Id, command.ProjectId)) + 1;
                    if (outcome == VoteOutcome.Moved)
                        projectMoves[(campaign.Id, previousProject!.Value)] = projectMoves.GetValueOrDefault((campaign.Id, previousProject.Value)) - 1;
                }
            }
            catch (DomainException e)
            {
                pending.Refuse(e);
                continue;
            }
            db.EnqueueEvents(campaign);
            pending.Succeed(outcome);
        }
        if (projectMoves.Count == 0) return;

        await db.SaveChangesAsync();
        foreach (var ((campaignId, projectId), delta) in projectMoves.Where(m => m.Value != 0))
            await db.Candidates.Where(c => c.CampaignId == campaignId && c.ProjectId == projectId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Votes, c => c.Votes + delta));
        foreach (var campaignId in projectMoves.Keys.Select(k => k.CampaignId).Distinct())
        {
            var counted = newVotes.GetValueOrDefault(campaignId);
            await db.Campaigns.Where(c => c.Id == campaignId).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.VotesCast, c => c.VotesCast + counted)
                .SetProperty(c => c.Sequence, c => c.Sequence + 1));
        }
    }

    private sealed record Ballot(string ContributorId, CastVote Command);
}
