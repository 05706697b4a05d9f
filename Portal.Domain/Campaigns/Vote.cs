namespace Portal.Domain.Campaigns;

/// <summary>
/// The single counted vote of a contributor with an account, or of a ticket's holder, in a campaign; changing it moves
/// the vote, the last choice counts. Exactly one of <see cref="ContributorId"/> and <see cref="TicketId"/> is set.
/// </summary>
public sealed class Vote
{
    private Vote() { }

    internal Vote(int campaignId, string? contributorId, long? ticketId, int projectId, int? viaEstablishmentId, DateTimeOffset now)
    {
        CampaignId = campaignId;
        ContributorId = contributorId;
        TicketId = ticketId;
        ProjectId = projectId;
        ViaEstablishmentId = viaEstablishmentId;
        CastAt = now;
        UpdatedAt = now;
    }

    public long Id { get; private set; }
    public int CampaignId { get; private set; }
    public string? ContributorId { get; private set; }
    public long? TicketId { get; private set; }
    public int ProjectId { get; private set; }
    /// <summary>The establishment whose QR code or ticket brought the voter, so the association sees where voters come from.</summary>
    public int? ViaEstablishmentId { get; private set; }
    public DateTimeOffset CastAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public int Changes { get; private set; }

    internal void MoveTo(int projectId, DateTimeOffset now)
    {
        ProjectId = projectId;
        UpdatedAt = now;
        Changes++;
    }
}

public enum VoteOutcome { Counted, Moved, Unchanged }
