using Portal.Domain.Common;

namespace Portal.Domain.Campaigns;

public sealed record DonationLogged(int CampaignId, int EstablishmentId, Money Amount, int Solidons) : IDomainEvent;
public sealed record VoteCast(int CampaignId, int ProjectId, int? PreviousProjectId) : IDomainEvent;
public sealed record CampaignStatusChanged(int CampaignId, CampaignStatus Status) : IDomainEvent;
public sealed record RemittanceRecorded(int CampaignId, int EstablishmentId, Money Amount) : IDomainEvent;
