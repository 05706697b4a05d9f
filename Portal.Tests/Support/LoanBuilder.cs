using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Loans;

namespace Portal.Tests.Support;

public static class LoanBuilder
{
    public static readonly DateOnly DisbursedOn = new(2026, 1, 15);
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A disbursed loan of <paramref name="principalEuros"/> from a campaign won by project 1, optionally with a plan.</summary>
    public static Loan Disbursed(decimal principalEuros = 1_000, decimal cashShareEuros = 400, int rate = 20, bool withPlan = true)
    {
        var campaign = new CampaignBuilder().WithTotals(principalEuros, 1, 0).InStatus(CampaignStatus.Allocated).Build();
        var loan = Loan.Disburse(campaign, 1, DisbursedOn);
        if (!withPlan) return loan;
        var cash = Money.FromEuros(cashShareEuros);
        var hours = loan.Principal - cash;
        loan.SetPlan(cash, HourlyRate.Of(rate),
        [
            new Installment(DisbursedOn.AddMonths(6), InstallmentKind.Cash, cash),
            new Installment(DisbursedOn.AddMonths(12), InstallmentKind.Hours, hours),
        ], "staff", Now);
        return loan;
    }
}
