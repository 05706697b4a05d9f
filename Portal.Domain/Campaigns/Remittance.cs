using Portal.Domain.Common;

namespace Portal.Domain.Campaigns;

/// <summary>Money an establishment handed over to the association; declared minus remitted is what it still holds.</summary>
public sealed class Remittance
{
    private Remittance() { }

    internal Remittance(int campaignId, int establishmentId, Money amount, DateOnly remittedOn, string reference,
        string recordedBy, DateTimeOffset recordedAt)
    {
        CampaignId = campaignId;
        EstablishmentId = establishmentId;
        AmountCents = amount.Cents;
        RemittedOn = remittedOn;
        Reference = reference;
        RecordedBy = recordedBy;
        RecordedAt = recordedAt;
    }

    public long Id { get; private set; }
    public int CampaignId { get; private set; }
    public int EstablishmentId { get; private set; }
    public long AmountCents { get; private set; }
    public Money Amount => new(AmountCents);
    public DateOnly RemittedOn { get; private set; }
    public string Reference { get; private set; } = "";
    public string RecordedBy { get; private set; } = "";
    public DateTimeOffset RecordedAt { get; private set; }
}
