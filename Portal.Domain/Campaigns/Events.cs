using Portal.Domain.Common;

namespace Portal.Domain.Campaigns;

/// <summary>Something a campaign's dashboards show has changed: its live snapshot is read again.</summary>
public interface ICampaignEvent : IDomainEvent
{
    int CampaignId { get; }
}

public sealed record DonationLogged(int CampaignId, int EstablishmentId, Money Amount, int Solidons) : ICampaignEvent;
public sealed record VoteCast(int CampaignId, int ProjectId, int? PreviousProjectId) : ICampaignEvent;
public sealed record CampaignStatusChanged(int CampaignId, CampaignStatus Status) : ICampaignEvent;
public sealed record RemittanceRecorded(int CampaignId, int EstablishmentId, Money Amount) : ICampaignEvent;
public sealed record CampaignEdited(int CampaignId) : ICampaignEvent;
