using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;

namespace Portal.Web.Features.Votes;

public sealed record CastVote(int CampaignId, int ProjectId, int? ViaEstablishmentId);

/// <summary>
/// One counted vote per contributor per campaign: the domain decides (count, move, or nothing), the unique index
/// on (campaign, contributor) guarantees it, and <see cref="CampaignWriter"/> applies it.
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

    public Task<VoteOutcome> CastAsync(Actor actor, CastVote command, CancellationToken cancellationToken = default)
    {
        if (!actor.Roles.Contains(Roles.Contributor) && !actor.IsAdmin)
            throw new ForbiddenException("Only contributors vote.");
        return SubmitAsync(new Ballot(actor.UserId, null, command), cancellationToken);
    }

    /// <summary>
    /// The vote of a ticket's holder: no account, the ticket is the voter. <paramref name="code"/> must already be
    /// normalised (<see cref="TicketCode.Normalize"/>); an unknown code is refused ("ticket.unknown") and writes nothing.
    /// </summary>
    public Task<VoteOutcome> CastWithTicketAsync(string code, int campaignId, int projectId, CancellationToken cancellationToken = default) =>
        SubmitAsync(new Ballot(null, code, new CastVote(campaignId, projectId, null)), cancellationToken);

    private async Task<VoteOutcome> SubmitAsync(Ballot ballot, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _commits.SubmitAsync(ballot).WaitAsync(cancellationToken);
            }
            catch (DbUpdateException) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                // Another node wrote this person's vote meanwhile: two first votes (the unique index refused the
                // second), or two moves (the vote's change count refused the second). Decide again on the vote as it
                // now stands.
            }
        }
    }

    /// <summary>Decisions taken again after a concurrent write of the same vote; a person clicking on two nodes at once needs a few.</summary>
    private const int MaxAttempts = 10;

    private async Task WriteAsync(PortalDbContext db, IReadOnlyList<GroupCommit<Ballot, VoteOutcome>.Write> batch)
    {
        var now = _clock.GetUtcNow();
        var ballots = batch.Select(w => w.Request).ToList();

        // Everything the batch's rules need, read once: its campaigns (with their candidates), the voters' current
        // votes (tracked, since a move changes them), and the networks of the places votes came through.
        var campaignIds = ballots.Select(v => v.Command.CampaignId).Distinct().ToList();
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => campaignIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
        var voters = ballots.Select(v => v.ContributorId).OfType<string>().Distinct().ToList();
        var current = voters.Count == 0 ? [] : await db.Votes.Where(v => campaignIds.Contains(v.CampaignId) && voters.Contains(v.ContributorId!))
            .ToDictionaryAsync(v => (v.CampaignId, v.ContributorId!));
        // Tickets tracked: a first vote marks its ticket used.
        var codes = ballots.Select(v => v.TicketCode).OfType<string>().Distinct().ToList();
        var tickets = codes.Count == 0 ? [] : await db.VoteTickets.Where(t => codes.Contains(t.Code)).ToDictionaryAsync(t => t.Code);
        var ticketIds = tickets.Values.Select(t => (long?)t.Id).ToList();
        var ticketVotes = ticketIds.Count == 0 ? [] : await db.Votes.Where(v => ticketIds.Contains(v.TicketId)).ToDictionaryAsync(v => v.TicketId!.Value);
        var placeIds = ballots.Select(v => v.Command.ViaEstablishmentId).OfType<int>().Distinct().ToList();
        var networks = placeIds.Count == 0 ? [] : await db.Establishments.Where(e => placeIds.Contains(e.Id))
            .Select(e => new { e.Id, e.NetworkId }).ToDictionaryAsync(e => e.Id, e => e.NetworkId);

        var changes = new List<CampaignChange>(batch.Count);
        foreach (var pending in batch)
        {
            var (contributorId, code, command) = pending.Request;
            if (!campaigns.TryGetValue(command.CampaignId, out var campaign))
            {
                pending.Refuse(new DomainException("campaign.not_found", "This campaign does not exist."));
                continue;
            }
            if (code is not null)
            {
                if (!tickets.TryGetValue(code, out var ticket))
                {
                    pending.Refuse(new DomainException("ticket.unknown", "This ticket does not exist."));
                    continue;
                }
                try
                {
                    ticketVotes.TryGetValue(ticket.Id, out var held);
                    var (vote, outcome, change) = campaign.CastVote(held, ticket, command.ProjectId, now);
                    ticketVotes[ticket.Id] = vote;
                    changes.Add(change);
                    pending.Succeed(outcome);
                }
                catch (DomainException e)
                {
                    pending.Refuse(e);
                }
                continue;
            }
            current.TryGetValue((campaign.Id, contributorId!), out var existing);
            // A place of another network (a stale or forged QR code) is not credited; the vote still counts.
            int? via = command.ViaEstablishmentId is { } place && networks.TryGetValue(place, out var network) && network == campaign.NetworkId
                ? place : null;
            try
            {
                var (vote, outcome, change) = campaign.CastVote(existing, contributorId!, command.ProjectId, via, now);
                // A second ballot of the same person in this batch is decided against this one.
                current[(campaign.Id, contributorId!)] = vote;
                changes.Add(change);
                pending.Succeed(outcome);
            }
            catch (DomainException e)
            {
                pending.Refuse(e);
            }
        }
        await db.ApplyAsync(changes);
    }

    /// <summary>A vote of an account (<paramref name="ContributorId"/>) or of a ticket's holder (<paramref name="TicketCode"/>).</summary>
    private sealed record Ballot(string? ContributorId, string? TicketCode, CastVote Command);
}
