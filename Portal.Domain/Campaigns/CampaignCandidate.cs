using Portal.Domain.Common;

namespace Portal.Domain.Campaigns;

/// <summary>A project standing in a campaign: its running vote count and, once allocated, its share of the pot.</summary>
public sealed class CampaignCandidate
{
    private CampaignCandidate() { }

    internal CampaignCandidate(int projectId, int position, Money requested)
    {
        ProjectId = projectId;
        Position = position;
        Requested = requested;
    }

    public int CampaignId { get; private set; }
    public int ProjectId { get; private set; }
    /// <summary>Order in which the project was listed: breaks ties in votes, a rule stated on the campaign page.</summary>
    public int Position { get; private set; }
    public Money Requested { get; private set; }
    public int Votes { get; internal set; }
    public Money Allocated { get; internal set; }
}
