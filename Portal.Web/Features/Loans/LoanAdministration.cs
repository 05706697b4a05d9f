using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Portal.Data;
using Portal.Domain.Common;
using Portal.Domain.Loans;

namespace Portal.Web.Features.Loans;

/// <summary>A repayment plan as staff set it: the cash share, the hourly rate, and N installments every few months.</summary>
public sealed class PlanInput
{
    public decimal? CashShare { get; set; }
    public int? HourlyRate { get; set; } = 20;
    public int? Installments { get; set; } = 4;
    public int? MonthsBetween { get; set; } = 3;
}

public sealed class PlanInputValidator : AbstractValidator<PlanInput>
{
    public PlanInputValidator(IStringLocalizer<SharedResource> L)
    {
        RuleFor(x => x.CashShare).NotNull().WithMessage(_ => L["Val.AmountRequired"]).GreaterThanOrEqualTo(0).WithMessage(_ => L["Val.AmountPositive"])
            .PrecisionScale(9, 2, ignoreTrailingZeros: true).WithMessage(_ => L["Val.AmountCents"]);
        RuleFor(x => x.HourlyRate).NotNull().InclusiveBetween(1, 500).WithMessage(_ => L["Err.rate.range"]);
        RuleFor(x => x.Installments).NotNull().InclusiveBetween(1, 24).WithMessage(_ => L["Val.InstallmentsRange"]);
        RuleFor(x => x.MonthsBetween).NotNull().InclusiveBetween(1, 12).WithMessage(_ => L["Val.MonthsRange"]);
    }
}

/// <summary>Staff's moves on a loan: set the plan, reschedule, convert cash into hours, record cash. History is kept by the loan.</summary>
public sealed class LoanAdministration(IDbContextFactory<PortalDbContext> dbFactory, IValidator<PlanInput> planValidator, TimeProvider clock)
{
    public Task SetPlanAsync(Actor actor, int loanId, int seenVersion, PlanInput input, CancellationToken ct = default) =>
        ChangeAsync(actor, loanId, seenVersion, async loan =>
        {
            await planValidator.ValidateAndThrowAsync(input, ct);
            var rate = HourlyRate.Of(input.HourlyRate!.Value);
            var cash = Money.FromEuros(input.CashShare!.Value);
            if (cash > loan.Principal) throw new DomainException("plan.cash_share", "The cash share must be between zero and the principal.");
            // The hours share is rounded down to whole quarter hours at this rate; the cents left over go to cash.
            var quarter = rate.Euros * 25L;
            var hours = new Money((loan.Principal - cash).Cents / quarter * quarter);
            cash = loan.Principal - hours;
            var dates = Enumerable.Range(1, input.Installments!.Value).Select(i => loan.DisbursedOn.AddMonths(i * input.MonthsBetween!.Value)).ToList();
            loan.SetPlan(cash, rate, [.. Split(cash, dates, InstallmentKind.Cash), .. Split(hours, dates, InstallmentKind.Hours, quarter)], actor.UserId, clock.GetUtcNow());
        }, ct);

    /// <summary>Every installment not yet due moves <paramref name="months"/> later.</summary>
    public Task RescheduleAsync(Actor actor, int loanId, int seenVersion, int months, string reason, CancellationToken ct = default) =>
        ChangeAsync(actor, loanId, seenVersion, loan =>
        {
            if (months is < 1 or > 24) throw new DomainException("plan.months", "Move the schedule by 1 to 24 months.");
            var today = DateOnly.FromDateTime(clock.GetLocalNow().Date);
            loan.Reschedule([.. loan.Schedule.Select(i => i.DueOn >= today ? i with { DueOn = i.DueOn.AddMonths(months) } : i)], reason, actor.UserId, clock.GetUtcNow());
            return Task.CompletedTask;
        }, ct);

    public Task ConvertCashToHoursAsync(Actor actor, int loanId, int seenVersion, decimal euros, string reason, CancellationToken ct = default) =>
        ChangeAsync(actor, loanId, seenVersion, loan =>
        {
            loan.ConvertCashToHours(Money.FromEuros(euros), reason, actor.UserId, clock.GetUtcNow());
            return Task.CompletedTask;
        }, ct);

    public Task RecordCashAsync(Actor actor, int loanId, int seenVersion, decimal euros, DateOnly paidOn, CancellationToken ct = default) =>
        ChangeAsync(actor, loanId, seenVersion, loan =>
        {
            loan.RecordCashRepayment(Money.FromEuros(euros), paidOn, actor.UserId, clock.GetUtcNow());
            return Task.CompletedTask;
        }, ct);

    public Task CommitAsync(Actor actor, int loanId, int seenVersion, int beneficiaryId, string skill, decimal hours, CancellationToken ct = default) =>
        ChangeAsync(actor, loanId, seenVersion, loan =>
        {
            loan.Commit(beneficiaryId, skill, Hours.From(hours));
            return Task.CompletedTask;
        }, ct);

    private async Task ChangeAsync(Actor actor, int loanId, int seenVersion, Func<Loan, Task> change, CancellationToken ct)
    {
        actor.RequireAdmin();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var loan = await db.Loans.SingleOrDefaultAsync(l => l.Id == loanId, ct) ?? throw new DomainException("loan.not_found", "This loan does not exist.");
        db.Entry(loan).Property(l => l.Version).OriginalValue = seenVersion;
        await change(loan);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Equal installments; the last takes the rest. With a quantum, each is a multiple of it (whole quarter hours).</summary>
    private static IEnumerable<Installment> Split(Money total, IReadOnlyList<DateOnly> dates, InstallmentKind kind, long quantum = 1)
    {
        if (!total.IsPositive) yield break;
        var each = total.Cents / dates.Count / quantum * quantum;
        for (var i = 0; i < dates.Count; i++)
        {
            var amount = i == dates.Count - 1 ? total.Cents - each * (dates.Count - 1) : each;
            if (amount > 0) yield return new Installment(dates[i], kind, new Money(amount));
        }
    }
}
