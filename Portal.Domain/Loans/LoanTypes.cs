using Portal.Domain.Common;

namespace Portal.Domain.Loans;

public enum InstallmentKind { Cash, Hours }

/// <summary>One due item of a repayment plan: an amount of cash, or hours valued at the plan's rate.</summary>
public sealed record Installment(DateOnly DueOn, InstallmentKind Kind, Money Amount);

public enum InstallmentStanding { Met, Late, Upcoming }

public sealed record ScheduledInstallment(Installment Item, InstallmentStanding Standing);

public enum PlanChange { Initial, Rescheduled, CashConvertedToHours }

/// <summary>An append-only record of every change to a repayment plan, with who, when and why.</summary>
public sealed class PlanRevision
{
    private PlanRevision() { }

    internal PlanRevision(PlanChange change, string reason, string by, DateTimeOffset at, Money cashShare, Money hoursShare, string schedule)
    {
        Change = change;
        Reason = reason;
        By = by;
        At = at;
        CashShare = cashShare;
        HoursShare = hoursShare;
        Schedule = schedule;
    }

    public long Id { get; private set; }
    public int LoanId { get; private set; }
    public PlanChange Change { get; private set; }
    public string Reason { get; private set; } = "";
    public string By { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
    public Money CashShare { get; private set; }
    public Money HoursShare { get; private set; }
    /// <summary>The schedule as it stood after the change, one "date kind cents" per line.</summary>
    public string Schedule { get; private set; } = "";
}

public sealed class CashRepayment
{
    private CashRepayment() { }

    internal CashRepayment(Money amount, DateOnly paidOn, string recordedBy, DateTimeOffset recordedAt)
    {
        Amount = amount;
        PaidOn = paidOn;
        RecordedBy = recordedBy;
        RecordedAt = recordedAt;
    }

    public long Id { get; private set; }
    public int LoanId { get; private set; }
    public Money Amount { get; private set; }
    public DateOnly PaidOn { get; private set; }
    public string RecordedBy { get; private set; } = "";
    public DateTimeOffset RecordedAt { get; private set; }
}

/// <summary>The entrepreneur's pledge of hours of a skill to one beneficiary structure.</summary>
public sealed class VolunteerCommitment
{
    private VolunteerCommitment() { }

    internal VolunteerCommitment(int beneficiaryId, string skill, Hours pledged)
    {
        BeneficiaryId = beneficiaryId;
        Skill = skill;
        Pledged = pledged;
    }

    public int Id { get; private set; }
    public int LoanId { get; private set; }
    public int BeneficiaryId { get; private set; }
    public string Skill { get; private set; } = "";
    public Hours Pledged { get; private set; }
}

/// <summary>Gentle wording on purpose: a loan is never publicly called delinquent.</summary>
public enum RepaymentStatus { OnTrack, Behind, Repaid }

public enum HoursStatus { Pending, Confirmed, Disputed }

public sealed record HoursConfirmed(int LoanId, long EntryId, Hours Hours) : IDomainEvent;
public sealed record HoursDisputed(int LoanId, long EntryId) : IDomainEvent;
public sealed record HoursLogged(int LoanId) : IDomainEvent;
public sealed record LoanChanged(int LoanId) : IDomainEvent;
