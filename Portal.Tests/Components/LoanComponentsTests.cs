using Bunit;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Loans;
using Portal.Tests.Support;
using Portal.Web.Features.Loans;
using Portal.Web.Features.Transparency;

namespace Portal.Tests.Components;

public class LoanComponentsTests : PortalTestContext, IClassFixture<EmptyPortalFactory>
{
    public LoanComponentsTests(EmptyPortalFactory app) => UsePortalServices(app);

    private static HoursLine Line(long id, HoursStatus status) =>
        new(id, "Épicerie solidaire", new DateOnly(2026, 11, 2), Hours.From(2.5m), "Cuisine", "Atelier", status, status == HoursStatus.Disputed ? "Pas ce jour-là" : null, null, DateTimeOffset.UtcNow);

    private static LoanView Loan() => new(1, 3, true, "Les Petites Cantines", "Printemps", Money.FromEuros(1_000), new DateOnly(2026, 1, 1), Money.FromEuros(400),
        Money.FromEuros(600), 20, Money.FromEuros(100), Hours.From(30), Hours.From(2), Hours.From(5), Money.FromEuros(100), Money.FromEuros(800),
        RepaymentStatus.OnTrack, [new ScheduledInstallment(new Installment(new DateOnly(2026, 6, 1), InstallmentKind.Cash, Money.FromEuros(400)), InstallmentStanding.Late)], [], [Line(7, HoursStatus.Pending)], []);


    [Fact]
    public void The_loan_summary_shows_principal_hours_and_what_is_still_owed()
    {
        var cut = Render<LoanSummary>(p => p.Add(s => s.Loan, Loan()));
        Assert.Equal("800,00 €", System.Text.RegularExpressions.Regex.Replace(cut.Find("[data-testid=outstanding]").TextContent, @"\s", " "));
        Assert.Contains("1 000,00 €", System.Text.RegularExpressions.Regex.Replace(cut.Markup, @"\s", " "));
        Assert.Contains("Remboursement à jour", cut.Markup);
        Assert.NotEmpty(cut.FindAll("svg"));
    }

    [Fact]
    public void A_structure_sees_confirm_and_dispute_while_the_entrepreneur_does_not()
    {
        var forStructure = Render<HoursList>(p => p.Add(h => h.Entries, [Line(7, HoursStatus.Pending)]));
        var forEntrepreneur = Render<HoursList>(p => p.Add(h => h.Entries, [Line(7, HoursStatus.Pending), Line(8, HoursStatus.Disputed)]).Add(h => h.ForEntrepreneur, true));

        Assert.Contains(forStructure.FindAll("button"), b => b.TextContent.Contains("Confirmer"));
        Assert.Contains(forStructure.FindAll("button"), b => b.TextContent.Contains("Contester"));
        Assert.DoesNotContain(forEntrepreneur.FindAll("button"), b => b.TextContent.Contains("Confirmer"));
        Assert.Contains(forEntrepreneur.FindAll("button"), b => b.TextContent.Contains("Répondre"));
        Assert.Contains("Motif de la contestation\u00A0: Pas ce jour-là", forEntrepreneur.Markup);
    }

    [Fact]
    public void A_campaign_in_the_chain_of_funds_shows_each_establishment_and_each_funded_project()
    {
        var funds = new CampaignFunds("Printemps", "printemps", CampaignStatus.Disbursed, Money.FromEuros(30),
            [("Le Bouchon", Money.FromEuros(20)), ("La Table", Money.FromEuros(10))], [("Les Petites Cantines", Money.FromEuros(30))], Money.Zero, Money.Zero);
        var cut = Render<CampaignFundsCard>(p => p.Add(c => c.Campaign, funds));

        var text = System.Text.RegularExpressions.Regex.Replace(cut.Markup, @"\s", " ");
        Assert.Contains("Le Bouchon", text);
        Assert.Contains("20,00 €", text);
        Assert.Contains("Les Petites Cantines", text);
        Assert.Contains("Prêts versés", text);
    }

    [Fact]
    public void A_late_installment_is_marked_late_in_the_schedule()
    {
        var cut = Render<LoanSchedule>(p => p.Add(c => c.Loan, Loan()));

        var line = cut.Find("li.sol-installment");
        Assert.Equal("Late", line.GetAttribute("data-standing"));
        Assert.Contains("En retard", line.TextContent);
    }
}
