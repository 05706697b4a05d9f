using Portal.Domain.Common;

namespace Portal.Domain.Loans;

/// <summary>
/// Hours an entrepreneur says they gave a beneficiary structure. Pending until the structure confirms or disputes;
/// only confirmed hours repay the loan. A disputed entry can be answered, which puts it back to Pending.
/// </summary>
public sealed class HoursEntry
{
    private HoursEntry() { }

    internal HoursEntry(int loanId, int commitmentId, int beneficiaryId, DateOnly workedOn, Hours hours, string skill,
        string description, string loggedBy, DateTimeOffset loggedAt)
    {
        LoanId = loanId;
        CommitmentId = commitmentId;
        BeneficiaryId = beneficiaryId;
        WorkedOn = workedOn;
        Hours = hours;
        Skill = skill;
        Description = description;
        LoggedBy = loggedBy;
        LoggedAt = loggedAt;
    }

    public long Id { get; private set; }
    public int LoanId { get; private set; }
    public int CommitmentId { get; private set; }
    public int BeneficiaryId { get; private set; }
    public DateOnly WorkedOn { get; private set; }
    public Hours Hours { get; private set; }
    public string Skill { get; private set; } = "";
    public string Description { get; private set; } = "";
    public string LoggedBy { get; private set; } = "";
    public DateTimeOffset LoggedAt { get; private set; }
    public HoursStatus Status { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecidedBy { get; private set; }
    public string? DisputeReason { get; private set; }
    public string? Reply { get; private set; }
    public int Version { get; private set; }

    internal void Confirm(string by, DateTimeOffset now)
    {
        if (Status != HoursStatus.Pending)
            throw new DomainException("hours.not_pending", $"Only pending hours can be confirmed (these are {Status}).");
        Status = HoursStatus.Confirmed;
        DecidedAt = now;
        DecidedBy = by;
        Version++;
    }

    internal void Dispute(string reason, string by, DateTimeOffset now)
    {
        if (Status != HoursStatus.Pending)
            throw new DomainException("hours.not_pending", $"Only pending hours can be disputed (these are {Status}).");
        Status = HoursStatus.Disputed;
        DisputeReason = reason;
        DecidedAt = now;
        DecidedBy = by;
        Version++;
    }

    internal void Answer(string reply)
    {
        if (Status != HoursStatus.Disputed)
            throw new DomainException("hours.not_disputed", "Only a disputed entry can be answered.");
        Reply = reply;
        Status = HoursStatus.Pending;
        Version++;
    }
}
