using Portal.Domain.Common;

namespace Portal.Domain.Campaigns;

/// <summary>A campaign's vote tickets: printed on sheets, minted with till entries (see <see cref="LogDonation"/>), and voting.</summary>
public sealed partial class Campaign
{
    /// <summary>
    /// A merchant's sheet of ticket cards to print, handed with bills that carry a solidon. A place prints ahead of
    /// its evening, but never more than one sheet's worth beyond the solidons it has logged: each ticket is a vote, so
    /// printed tickets stay bounded by the bills they stand for.
    /// </summary>
    public CampaignChange PrintTickets(int establishmentId, int count, int alreadyPrinted, long solidonsLogged, DateTimeOffset now)
    {
        if (Status != CampaignStatus.Open)
            throw new DomainException("ticket.campaign_not_open", "Tickets are printed while the campaign is open.");
        CheckTickets(count, MaxTicketsPerEntry);
        if (count == 0) throw new DomainException("ticket.count", $"Print 1 to {MaxTicketsPerEntry} tickets at a time.", "tickets");
        if (alreadyPrinted + count > solidonsLogged + MaxTicketsPerEntry)
            throw new DomainException("ticket.printed_ahead", $"This place has printed {alreadyPrinted} tickets for {solidonsLogged} solidons logged: log what was collected before printing more.", "tickets");
        return new CampaignChange(Id).Minted([.. Enumerable.Range(0, count).Select(_ => new VoteTicket(Id, establishmentId, TicketSource.Sheet, null, now))]);
    }

    private void CheckTickets(int tickets, int solidons)
    {
        if (!AcceptsTickets)
            throw new DomainException("ticket.not_accepted", "This campaign's votes are cast with an account, not with tickets.", "tickets");
        if (tickets < 0 || tickets > Math.Min(solidons, MaxTicketsPerEntry))
            throw new DomainException("ticket.count", $"Ask for 0 to {Math.Min(solidons, MaxTicketsPerEntry)} tickets: one per bill that carried a solidon.", "tickets");
    }

    /// <summary>
    /// Counts the vote of a ticket's holder, crediting the place that handed it: like an account's, counted once,
    /// moved by a new choice until the campaign closes.
    /// </summary>
    public (Vote Vote, VoteOutcome Outcome, CampaignChange Change) CastVote(Vote? current, VoteTicket ticket, int projectId, DateTimeOffset now)
    {
        if (ticket.CampaignId != Id)
            throw new DomainException("ticket.other_campaign", "This ticket is for another campaign.");
        if (Status != CampaignStatus.Open)
            throw new DomainException("ticket.expired", "This ticket has expired: voting is closed for this campaign.");
        if (!AcceptsTickets)
            throw new DomainException("ticket.not_accepted", "This campaign's votes are cast with an account, not with tickets.");
        var candidate = _candidates.SingleOrDefault(c => c.ProjectId == projectId)
            ?? throw new DomainException("vote.not_candidate", "This project is not a candidate in this campaign.");
        if (current is not null && (current.CampaignId != Id || current.TicketId != ticket.Id))
            throw new DomainException("vote.not_yours", "This vote belongs to someone else.");
        var decided = Decide(current, () => new Vote(Id, null, ticket.Id, candidate.ProjectId, ticket.EstablishmentId, now), projectId, now);
        ticket.MarkUsed(now);
        return decided;
    }
}
