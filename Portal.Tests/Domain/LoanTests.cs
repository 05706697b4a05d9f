using CsCheck;
using Portal.Domain.Common;
using Portal.Domain.Loans;
using Portal.Tests.Support;

namespace Portal.Tests.Domain;

public class LoanTests
{
    private static readonly DateTimeOffset Now = LoanBuilder.Now;
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    [Fact]
    public void Only_confirmed_hours_reduce_the_balance()
    {
        var loan = LoanBuilder.Disbursed();
        var commitment = loan.Commit(7, "Comptabilité", Hours.From(30));
        var entry = loan.LogHours(commitment.Id, Today.AddDays(-3), Hours.From(2.5m), "Comptabilité", "Bilan", Hours.Zero, "lea", Now);
        Assert.Equal(Money.FromEuros(1_000), loan.Outstanding);

        loan.ConfirmHours(entry, 7, "structure", Now);
        Assert.Equal(HoursStatus.Confirmed, entry.Status);
        Assert.Equal(Money.FromEuros(950), loan.Outstanding);
    }

    [Fact]
    public void A_structure_cannot_confirm_hours_logged_for_another_structure()
    {
        var loan = LoanBuilder.Disbursed();
        var commitment = loan.Commit(7, "Cuisine", Hours.From(10));
        var entry = loan.LogHours(commitment.Id, Today, Hours.From(1), "Cuisine", "Atelier", Hours.Zero, "lea", Now);
        var error = Assert.Throws<DomainException>(() => loan.ConfirmHours(entry, 8, "other", Now));
        Assert.Equal("hours.other_structure", error.Code);
        Assert.Equal(HoursStatus.Pending, entry.Status);
        Assert.Equal(Hours.Zero, loan.ConfirmedHours);
    }

    [Theory]
    [InlineData(0, 0, "hours.positive")]
    [InlineData(-8, 0, "hours.positive")]
    [InlineData(52, 0, "hours.too_many")]
    [InlineData(8, 1, "hours.future")]
    [InlineData(8, -400, "hours.before_loan")]
    public void Zero_negative_absurd_or_misdated_hours_are_refused(int quarters, int daysFromToday, string code)
    {
        var loan = LoanBuilder.Disbursed();
        var commitment = loan.Commit(7, "Cuisine", Hours.From(30));
        var error = Assert.Throws<DomainException>(() =>
            loan.LogHours(commitment.Id, Today.AddDays(daysFromToday), new Hours(quarters), "Cuisine", "x", Hours.Zero, "lea", Now));
        Assert.Equal(Hours.Zero, loan.ConfirmedHours);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void A_disputed_entry_answered_goes_back_to_pending()
    {
        var loan = LoanBuilder.Disbursed();
        var commitment = loan.Commit(7, "Cuisine", Hours.From(10));
        var entry = loan.LogHours(commitment.Id, Today, Hours.From(1), "Cuisine", "Atelier", Hours.Zero, "lea", Now);
        loan.DisputeHours(entry, 7, "Nous n'avons pas eu d'atelier ce jour-là", "structure", Now);
        Assert.Equal(HoursStatus.Disputed, entry.Status);
        loan.AnswerDispute(entry, "C'était le lendemain, je corrige");
        Assert.Equal(HoursStatus.Pending, entry.Status);
        Assert.Equal(Money.FromEuros(1_000), loan.Outstanding);
    }

    [Fact]
    public void Converting_cash_into_hours_keeps_the_history_and_the_principal()
    {
        var loan = LoanBuilder.Disbursed();
        loan.ConvertCashToHours(Money.FromEuros(100), "Accord du comité", "staff", Now);
        Assert.Equal(Money.FromEuros(300), loan.CashShare);
        Assert.Equal(Money.FromEuros(700), loan.HoursShare);
        Assert.Equal(2, loan.Revisions.Count);
        Assert.Equal(PlanChange.CashConvertedToHours, loan.Revisions[^1].Change);
        Assert.Equal(loan.Principal.Cents, loan.Schedule.Sum(i => i.Amount.Cents));
    }

    [Fact]
    public void A_schedule_that_does_not_add_up_is_refused()
    {
        var loan = LoanBuilder.Disbursed(withPlan: false);
        var error = Assert.Throws<DomainException>(() => loan.SetPlan(Money.FromEuros(400), HourlyRate.Of(20),
            [new Installment(LoanBuilder.DisbursedOn.AddMonths(3), InstallmentKind.Cash, Money.FromEuros(100))], "staff", Now));
        Assert.Equal("plan.schedule_sum", error.Code);
        Assert.False(loan.HasPlan);
    }

    [Fact]
    public void Each_installment_is_upcoming_then_late_then_met_once_its_kind_covers_it()
    {
        var loan = LoanBuilder.Disbursed();
        var seventhMonth = LoanBuilder.DisbursedOn.AddMonths(7);
        Assert.All(loan.ScheduleOn(LoanBuilder.DisbursedOn.AddMonths(1)), line => Assert.Equal(InstallmentStanding.Upcoming, line.Standing));
        Assert.Equal([InstallmentStanding.Late, InstallmentStanding.Upcoming], loan.ScheduleOn(seventhMonth).Select(l => l.Standing));

        // Part of the cash is not enough; hours never pay a cash installment.
        loan.RecordCashRepayment(Money.FromEuros(399), seventhMonth, "staff", Now);
        Assert.Equal(InstallmentStanding.Late, loan.ScheduleOn(seventhMonth)[0].Standing);
        loan.RecordCashRepayment(Money.FromEuros(1), seventhMonth, "staff", Now);
        Assert.Equal([InstallmentStanding.Met, InstallmentStanding.Upcoming], loan.ScheduleOn(seventhMonth).Select(l => l.Standing));
        Assert.Equal(RepaymentStatus.OnTrack, loan.StatusOn(seventhMonth));
    }

    [Fact]
    public void Status_is_on_track_then_behind_then_repaid()
    {
        var loan = LoanBuilder.Disbursed();
        Assert.Equal(RepaymentStatus.OnTrack, loan.StatusOn(LoanBuilder.DisbursedOn.AddMonths(1)));
        Assert.Equal(RepaymentStatus.Behind, loan.StatusOn(LoanBuilder.DisbursedOn.AddMonths(7)));
        loan.RecordCashRepayment(Money.FromEuros(400), LoanBuilder.DisbursedOn.AddMonths(5), "staff", Now);
        var commitment = loan.Commit(7, "Cuisine", Hours.From(30));
        var logged = Hours.Zero;
        for (var i = 0; i < 3; i++)
        {
            var entry = loan.LogHours(commitment.Id, Today.AddDays(-i), Hours.From(10), "Cuisine", "x", logged, "lea", Now);
            logged += entry.Hours;
            loan.ConfirmHours(entry, 7, "s", Now);
        }
        Assert.Equal(RepaymentStatus.Repaid, loan.StatusOn(Today));
        Assert.Equal(Money.Zero, loan.Outstanding);
    }

    [Fact]
    public void Principal_equals_cash_repaid_plus_confirmed_hours_value_plus_outstanding_after_any_repayments()
    {
        var action = Gen.OneOf(
            Gen.Long[1, 20_000].Select(c => (Kind: 0, Cents: c, Quarters: 0)),
            Gen.Int[1, 48].Select(q => (Kind: 1, Cents: 0L, Quarters: q)),
            Gen.Int[1, 48].Select(q => (Kind: 2, Cents: 0L, Quarters: q)));
        action.Array[0, 40].Sample(actions =>
        {
            var loan = LoanBuilder.Disbursed();
            var commitment = loan.Commit(7, "Cuisine", loan.HoursPledgedTotal);
            var logged = Hours.Zero;
            foreach (var (kind, cents, quarters) in actions)
            {
                try
                {
                    if (kind == 0) loan.RecordCashRepayment(new Money(cents), Today, "staff", Now);
                    else
                    {
                        var entry = loan.LogHours(commitment.Id, Today, new Hours(quarters), "Cuisine", "x", logged, "lea", Now);
                        logged += entry.Hours;
                        if (kind == 1) loan.ConfirmHours(entry, 7, "s", Now);
                    }
                }
                catch (DomainException)
                {
                    // Refused steps (more than is owed) change nothing; the identity must hold regardless.
                }
                Assert.Equal(loan.Principal, loan.CashRepaid + loan.ConfirmedHoursValue + loan.Outstanding);
                Assert.True(loan.Outstanding.Cents >= 0);
            }
        });
    }
}
