using Portal.Domain.Common;

namespace Portal.Domain.Campaigns;

/// <summary>
/// One line of the append-only solidon ledger. A correction is a new entry with negated figures that points
/// at the entry it reverses; nothing is ever edited or deleted.
/// </summary>
public sealed class DonationEntry
{
    private DonationEntry() { }

    internal DonationEntry(int campaignId, int establishmentId, Money amount, int solidons, int? bills,
        DateTimeOffset collectedAt, DateTimeOffset loggedAt, string loggedBy, EntrySource source,
        long? reversesEntryId = null, string? reason = null)
    {
        CampaignId = campaignId;
        EstablishmentId = establishmentId;
        AmountCents = amount.Cents;
        Solidons = solidons;
        Bills = bills;
        CollectedAt = collectedAt;
        LoggedAt = loggedAt;
        LoggedBy = loggedBy;
        Source = source;
        ReversesEntryId = reversesEntryId;
        Reason = reason;
    }

    public long Id { get; private set; }
    public int CampaignId { get; private set; }
    public int EstablishmentId { get; private set; }
    /// <summary>Stored as cents so the database sums the ledger exactly.</summary>
    public long AmountCents { get; private set; }
    public Money Amount => new(AmountCents);
    public int Solidons { get; private set; }
    /// <summary>Bills issued in the period, when the till counts them: gives the participation rate.</summary>
    public int? Bills { get; private set; }
    public DateTimeOffset CollectedAt { get; private set; }
    public DateTimeOffset LoggedAt { get; private set; }
    public string LoggedBy { get; private set; } = "";
    public EntrySource Source { get; private set; }
    public long? ReversesEntryId { get; private set; }
    public string? Reason { get; private set; }

    public bool IsReversal => ReversesEntryId is not null;
}
