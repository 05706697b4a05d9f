using Portal.Domain.Campaigns;
using Portal.Domain.Common;

namespace Portal.Domain.Loans;

/// <summary>
/// A zero-interest loan to a funded project, equal to its allocation. Repaid partly in cash and partly in
/// skills-volunteering hours valued at an agreed hourly rate: principal = cash repaid + confirmed hours x rate + outstanding.
/// </summary>
public sealed class Loan : AggregateRoot
{
    public static readonly Hours MaxHoursPerEntry = Hours.From(12);

    private readonly List<Installment> _schedule = [];
    private readonly List<PlanRevision> _revisions = [];
    private readonly List<CashRepayment> _repayments = [];
    private readonly List<VolunteerCommitment> _commitments = [];

    private Loan() { }

    public static Loan Disburse(Campaign campaign, int projectId, DateOnly disbursedOn)
    {
        if (campaign.Status != CampaignStatus.Allocated)
            throw new DomainException("loan.not_allocated", "Loans are disbursed once the campaign is allocated.");
        var candidate = campaign.Candidates.SingleOrDefault(c => c.ProjectId == projectId)
            ?? throw new DomainException("loan.not_candidate", "This project was not a candidate in the campaign.");
        if (!candidate.Allocated.IsPositive)
            throw new DomainException("loan.nothing_allocated", "Nothing was allocated to this project.");
        return new Loan { CampaignId = campaign.Id, ProjectId = projectId, Principal = candidate.Allocated, DisbursedOn = disbursedOn };
    }

    public int Id { get; private set; }
    public int CampaignId { get; private set; }
    public int ProjectId { get; private set; }
    public Money Principal { get; private set; }
    public DateOnly DisbursedOn { get; private set; }
    public Money CashShare { get; private set; }
    public Money HoursShare { get; private set; }
    public HourlyRate Rate { get; private set; } = new(1);
    public bool HasPlan { get; private set; }
    public Money CashRepaid { get; private set; }
    public Hours ConfirmedHours { get; private set; }

    public IReadOnlyList<Installment> Schedule => _schedule;
    public IReadOnlyList<PlanRevision> Revisions => _revisions;
    public IReadOnlyList<CashRepayment> Repayments => _repayments;
    public IReadOnlyList<VolunteerCommitment> Commitments => _commitments;

    public Money ConfirmedHoursValue => ConfirmedHours.ValueAt(Rate);
    public Money Outstanding => Principal - CashRepaid - ConfirmedHoursValue;
    public Money CashOwed => CashShare - CashRepaid;
    public Hours HoursPledgedTotal => Rate.HoursFor(HoursShare);
    public Hours HoursOwed => HoursPledgedTotal - ConfirmedHours;

    public void SetPlan(Money cashShare, HourlyRate rate, IReadOnlyList<Installment> schedule, string by, DateTimeOffset now)
    {
        if (HasPlan) throw new DomainException("plan.exists", "The plan is set: reschedule it instead.");
        if (cashShare.Cents < 0 || cashShare > Principal)
            throw new DomainException("plan.cash_share", "The cash share must be between zero and the principal.");
        var hoursShare = Principal - cashShare;
        if (hoursShare.Cents % (rate.Euros * 25L) != 0)
            throw new DomainException("plan.hours_share", "At this rate the hours share must be a whole number of quarter hours.");
        Rate = rate;
        CashShare = cashShare;
        HoursShare = hoursShare;
        ReplaceSchedule(schedule);
        HasPlan = true;
        Revise(PlanChange.Initial, "Plan initial", by, now);
    }

    public void Reschedule(IReadOnlyList<Installment> schedule, string reason, string by, DateTimeOffset now)
    {
        RequirePlan();
        ReplaceSchedule(schedule);
        Revise(PlanChange.Rescheduled, Guard.Text(reason, "reason", 300), by, now);
    }

    /// <summary>By agreement, cash still owed becomes hours: the latest cash installments shrink, one hours item is added.</summary>
    public void ConvertCashToHours(Money amount, string reason, string by, DateTimeOffset now)
    {
        RequirePlan();
        if (!amount.IsPositive || amount > CashOwed)
            throw new DomainException("plan.convert_amount", $"The amount to convert must be positive and at most the cash still owed ({CashOwed}).");
        if (amount.Cents % (Rate.Euros * 25L) != 0)
            throw new DomainException("plan.hours_share", "At this rate the amount must be a whole number of quarter hours.");
        var why = Guard.Text(reason, "reason", 300);
        var left = amount;
        var lastDue = DisbursedOn;
        for (var i = _schedule.Count - 1; i >= 0 && left.IsPositive; i--)
        {
            if (_schedule[i].Kind != InstallmentKind.Cash) continue;
            var take = Money.Min(left, _schedule[i].Amount);
            lastDue = lastDue > _schedule[i].DueOn ? lastDue : _schedule[i].DueOn;
            _schedule[i] = _schedule[i] with { Amount = _schedule[i].Amount - take };
            left -= take;
        }
        _schedule.RemoveAll(i => !i.Amount.IsPositive);
        _schedule.Add(new Installment(lastDue, InstallmentKind.Hours, amount));
        _schedule.Sort((a, b) => a.DueOn.CompareTo(b.DueOn));
        CashShare -= amount;
        HoursShare += amount;
        Revise(PlanChange.CashConvertedToHours, why, by, now);
    }

    public CashRepayment RecordCashRepayment(Money amount, DateOnly paidOn, string by, DateTimeOffset now)
    {
        RequirePlan();
        if (!amount.IsPositive || amount > CashOwed)
            throw new DomainException("loan.cash_amount", $"The repayment must be positive and at most the cash still owed ({CashOwed}).");
        if (paidOn < DisbursedOn || paidOn > DateOnly.FromDateTime(now.UtcDateTime))
            throw new DomainException("loan.cash_date", "The payment date must be between the disbursement and today.");
        CashRepaid += amount;
        var repayment = new CashRepayment(amount, paidOn, by, now);
        _repayments.Add(repayment);
        Changed();
        return repayment;
    }

    public VolunteerCommitment Commit(int beneficiaryId, string skill, Hours pledged)
    {
        RequirePlan();
        if (pledged.Quarters <= 0)
            throw new DomainException("commitment.hours", "A commitment pledges at least a quarter hour.");
        var alreadyPledged = new Hours(_commitments.Sum(c => c.Pledged.Quarters));
        if (alreadyPledged + pledged > HoursPledgedTotal)
            throw new DomainException("commitment.over_plan", $"The commitments would exceed the hours in the plan ({HoursPledgedTotal}).");
        var commitment = new VolunteerCommitment(beneficiaryId, Guard.Text(skill, "skill", 100), pledged);
        _commitments.Add(commitment);
        Changed();
        return commitment;
    }

    /// <param name="hoursNotDisputed">Pending plus confirmed hours already logged on this loan.</param>
    public HoursEntry LogHours(int commitmentId, DateOnly workedOn, Hours hours, string skill, string description,
        Hours hoursNotDisputed, string by, DateTimeOffset now)
    {
        var commitment = _commitments.SingleOrDefault(c => c.Id == commitmentId)
            ?? throw new DomainException("hours.commitment", "This commitment does not belong to this loan.");
        if (hours.Quarters <= 0)
            throw new DomainException("hours.positive", "Hours must be more than zero.");
        if (hours > MaxHoursPerEntry)
            throw new DomainException("hours.too_many", $"One entry cannot exceed {MaxHoursPerEntry} (one day).");
        if (workedOn > DateOnly.FromDateTime(now.UtcDateTime))
            throw new DomainException("hours.future", "Hours cannot be logged for a future date.");
        if (workedOn < DisbursedOn)
            throw new DomainException("hours.before_loan", "Hours before the loan was disbursed do not repay it.");
        if (hoursNotDisputed + hours > HoursPledgedTotal)
            throw new DomainException("hours.over_plan", $"These hours would exceed the hours owed ({HoursPledgedTotal}).");
        var entry = new HoursEntry(Id, commitment.Id, commitment.BeneficiaryId, workedOn, hours,
            Guard.Text(skill, "skill", 100), Guard.Text(description, "description", 1000), by, now);
        Raise(new HoursLogged(Id));
        return entry;
    }

    public void ConfirmHours(HoursEntry entry, int beneficiaryId, string by, DateTimeOffset now)
    {
        RequireOwnEntry(entry, beneficiaryId);
        entry.Confirm(by, now);
        ConfirmedHours += entry.Hours;
        Changed(new HoursConfirmed(Id, entry.Id, entry.Hours));
    }

    public void DisputeHours(HoursEntry entry, int beneficiaryId, string reason, string by, DateTimeOffset now)
    {
        RequireOwnEntry(entry, beneficiaryId);
        entry.Dispute(Guard.Text(reason, "reason", 500), by, now);
        Raise(new HoursDisputed(Id, entry.Id));
    }

    public void AnswerDispute(HoursEntry entry, string reply)
    {
        if (entry.LoanId != Id) throw new DomainException("hours.other_loan", "This entry belongs to another loan.");
        entry.Answer(Guard.Text(reply, "reply", 1000));
        Raise(new HoursLogged(Id));
    }

    public RepaymentStatus StatusOn(DateOnly today)
    {
        if (Outstanding.Cents == 0) return RepaymentStatus.Repaid;
        return ScheduleOn(today).Any(i => i.Standing == InstallmentStanding.Late) ? RepaymentStatus.Behind : RepaymentStatus.OnTrack;
    }

    /// <summary>
    /// Each installment with its standing: met once what was repaid in its kind (cash, or the value of confirmed
    /// hours) covers it and every earlier one of that kind; late when it is past due and not met.
    /// </summary>
    public IReadOnlyList<ScheduledInstallment> ScheduleOn(DateOnly today)
    {
        long cashReached = 0, hoursReached = 0;
        var lines = new List<ScheduledInstallment>(_schedule.Count);
        foreach (var item in _schedule.OrderBy(i => i.DueOn))
        {
            var cash = item.Kind == InstallmentKind.Cash;
            var reached = cash ? cashReached += item.Amount.Cents : hoursReached += item.Amount.Cents;
            var repaid = cash ? CashRepaid.Cents : ConfirmedHoursValue.Cents;
            var standing = repaid >= reached ? InstallmentStanding.Met : item.DueOn < today ? InstallmentStanding.Late : InstallmentStanding.Upcoming;
            lines.Add(new ScheduledInstallment(item, standing));
        }
        return lines;
    }

    public Installment? NextDue(DateOnly today) => _schedule.Where(i => i.DueOn >= today).OrderBy(i => i.DueOn).FirstOrDefault();

    private void ReplaceSchedule(IReadOnlyList<Installment> schedule)
    {
        if (schedule.Any(i => !i.Amount.IsPositive))
            throw new DomainException("plan.installment_amount", "Every installment must be a positive amount.");
        if (schedule.Any(i => i.DueOn <= DisbursedOn))
            throw new DomainException("plan.installment_date", "Every installment must fall after the disbursement.");
        var cash = schedule.Where(i => i.Kind == InstallmentKind.Cash).Sum(i => i.Amount.Cents);
        var hours = schedule.Where(i => i.Kind == InstallmentKind.Hours).Sum(i => i.Amount.Cents);
        if (cash != CashShare.Cents || hours != HoursShare.Cents)
            throw new DomainException("plan.schedule_sum", $"The schedule must add up to the cash share ({CashShare}) and the hours share ({HoursShare}).");
        _schedule.Clear();
        _schedule.AddRange(schedule.OrderBy(i => i.DueOn));
    }

    private void Revise(PlanChange change, string reason, string by, DateTimeOffset now)
    {
        var schedule = string.Join('\n', _schedule.Select(i => $"{i.DueOn:yyyy-MM-dd} {i.Kind} {i.Amount.Cents}"));
        _revisions.Add(new PlanRevision(change, reason, by, now, CashShare, HoursShare, schedule));
        Changed();
    }

    private void RequirePlan()
    {
        if (!HasPlan) throw new DomainException("plan.missing", "The repayment plan is not set yet.");
    }

    private void RequireOwnEntry(HoursEntry entry, int beneficiaryId)
    {
        if (entry.LoanId != Id) throw new DomainException("hours.other_loan", "This entry belongs to another loan.");
        if (entry.BeneficiaryId != beneficiaryId)
            throw new DomainException("hours.other_structure", "These hours were logged for another structure.");
    }

    private void Changed(IDomainEvent? domainEvent = null) => Raise(domainEvent ?? new LoanChanged(Id));
}
