using Portal.Domain.Campaigns;
using Portal.Domain.Common;

namespace Portal.Data;

/// <summary>
/// Running totals of one establishment in one campaign, moved by <see cref="CampaignWriter"/> in the same transaction as
/// each ledger entry and remittance, so leaderboards and reconciliation never sum the ledger.
/// </summary>
public sealed class EstablishmentTally
{
    public int CampaignId { get; set; }
    public int EstablishmentId { get; set; }
    public long CollectedCents { get; set; }
    public long Solidons { get; set; }
    public long Bills { get; set; }
    /// <summary>Solidons of entries that counted their bills: the numerator of the participation rate.</summary>
    public long SolidonsOnCountedBills { get; set; }
    public int Entries { get; set; }
    public long RemittedCents { get; set; }

    public static EstablishmentTally Starting(int campaignId, int establishmentId, PlaceDelta first) => new()
    {
        CampaignId = campaignId, EstablishmentId = establishmentId, CollectedCents = first.CollectedCents, Solidons = first.Solidons,
        Bills = first.Bills, SolidonsOnCountedBills = first.SolidonsOnCountedBills, Entries = first.Entries, RemittedCents = first.RemittedCents,
    };

    public Money Collected => new(CollectedCents);
    public Money Remitted => new(RemittedCents);
    public Money Outstanding => new(CollectedCents - RemittedCents);
}
