using Microsoft.EntityFrameworkCore;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Loans;
using Portal.Tests.Support;
using Portal.Web.Features;
using Portal.Web.Features.Campaigns;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Loans;
using Portal.Web.Features.Votes;

namespace Portal.Tests.Data;

public class LoanAndRemittanceTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    [Fact]
    public async Task Remittances_reduce_the_outstanding_balance_and_cannot_exceed_it()
    {
        var w = await TestWorld.CreateAsync(app);
        await app.Get<DonationLedger>().LogAsync(w.MerchantA, new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 80, Solidons = 40 });
        var remittances = app.Get<RemittanceService>();
        var today = DateTime.Today;
        await remittances.RecordAsync(w.MerchantA, new RecordRemittance { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 50, RemittedOn = today, Reference = "VIR-001" });

        var error = await Assert.ThrowsAsync<DomainException>(() => remittances.RecordAsync(w.MerchantA,
            new RecordRemittance { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 30.01m, RemittedOn = today, Reference = "VIR-002" }));
        Assert.Equal("remittance.above_outstanding", error.Code);
        await Assert.ThrowsAsync<ForbiddenException>(() => remittances.RecordAsync(w.MerchantB,
            new RecordRemittance { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 1, RemittedOn = today, Reference = "X" }));

        await using var db = app.CreateDbContext();
        var tally = await db.EstablishmentTallies.SingleAsync(t => t.CampaignId == w.CampaignId && t.EstablishmentId == w.EstablishmentA);
        Assert.Equal(Money.FromEuros(30), tally.Outstanding);
        Assert.Empty(await app.Get<LedgerReconciliation>().CheckAsync(w.CampaignId));
    }

    [Fact]
    public async Task A_loan_with_its_plan_commitments_and_hours_round_trips_through_sqlite()
    {
        var (w, loanId) = await DisbursedLoanAsync();
        await using (var db = app.CreateDbContext())
        {
            var loan = await db.Loans.SingleAsync(l => l.Id == loanId);
            var now = DateTimeOffset.UtcNow;
            loan.SetPlan(Money.FromEuros(20), HourlyRate.Of(20),
                [new Installment(loan.DisbursedOn.AddMonths(3), InstallmentKind.Cash, Money.FromEuros(20)),
                 new Installment(loan.DisbursedOn.AddMonths(6), InstallmentKind.Hours, loan.Principal - Money.FromEuros(20))], "staff", now);
            loan.Commit(await StructureAsync(), "Cuisine", loan.HoursPledgedTotal);
            await db.SaveChangesAsync();
        }

        await using var fresh = app.CreateDbContext();
        var reloaded = await fresh.Loans.AsNoTracking().SingleAsync(l => l.Id == loanId);
        Assert.True(reloaded.HasPlan);
        Assert.Equal(Money.FromEuros(20), reloaded.CashShare);
        Assert.Equal(HourlyRate.Of(20), reloaded.Rate);
        Assert.Equal(2, reloaded.Schedule.Count);
        Assert.Equal(InstallmentKind.Hours, reloaded.Schedule[1].Kind);
        Assert.Equal(reloaded.Principal.Cents, reloaded.Schedule.Sum(i => i.Amount.Cents));
        Assert.Single(reloaded.Revisions);
        Assert.Equal("Cuisine", Assert.Single(reloaded.Commitments).Skill);
        Assert.Equal(1, reloaded.Version);
    }

    [Fact]
    public async Task Only_the_projects_entrepreneur_logs_hours_and_only_the_receiving_structure_confirms_them()
    {
        var (w, loanId) = await DisbursedLoanAsync();
        var structure = await StructureAsync();
        var otherStructure = await StructureAsync();
        int commitmentId;
        await using (var db = app.CreateDbContext())
        {
            var loan = await db.Loans.SingleAsync(l => l.Id == loanId);
            loan.SetPlan(Money.Zero, HourlyRate.Of(10), [new Installment(loan.DisbursedOn.AddMonths(6), InstallmentKind.Hours, loan.Principal)], "staff", DateTimeOffset.UtcNow);
            commitmentId = loan.Commit(structure, "Comptabilité", loan.HoursPledgedTotal).Id;
            await db.SaveChangesAsync();
            commitmentId = loan.Commitments.Single().Id;
        }
        var projectId = w.ProjectA;
        var entrepreneur = await TestWorld.UserAsync(app, $"e-{Guid.NewGuid():N}@t.fr", Roles.Entrepreneur, projectId: projectId);
        var stranger = await TestWorld.UserAsync(app, $"x-{Guid.NewGuid():N}@t.fr", Roles.Entrepreneur, projectId: w.ProjectB);
        var receiver = await TestWorld.UserAsync(app, $"s-{Guid.NewGuid():N}@t.fr", Roles.Beneficiary, beneficiaryId: structure);
        var other = await TestWorld.UserAsync(app, $"o-{Guid.NewGuid():N}@t.fr", Roles.Beneficiary, beneficiaryId: otherStructure);
        var loans = app.Get<LoanService>();
        var log = new LogHours { LoanId = loanId, CommitmentId = commitmentId, WorkedOn = DateTime.Today, Hours = 1.5m, Description = "Atelier" };

        await Assert.ThrowsAsync<ForbiddenException>(() => loans.LogHoursAsync(stranger, log));
        var entry = await loans.LogHoursAsync(entrepreneur, log);
        await Assert.ThrowsAsync<ForbiddenException>(() => loans.DecideAsync(entrepreneur, new DecideHours { EntryId = entry.Id, Confirm = true }));
        await Assert.ThrowsAsync<ForbiddenException>(() => loans.DecideAsync(other, new DecideHours { EntryId = entry.Id, Confirm = true }));
        await loans.DecideAsync(receiver, new DecideHours { EntryId = entry.Id, Confirm = true });

        await using var check = app.CreateDbContext();
        var saved = await check.Loans.SingleAsync(l => l.Id == loanId);
        Assert.Equal(Hours.From(1.5m), saved.ConfirmedHours);
        Assert.Equal(saved.Principal - Money.FromEuros(15), saved.Outstanding);
    }

    private async Task<(TestWorld World, int LoanId)> DisbursedLoanAsync()
    {
        var w = await TestWorld.CreateAsync(app, AllocationRule.WinnerTakesAll);
        await app.Get<DonationLedger>().LogAsync(w.MerchantA, new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 60, Solidons = 30 });
        await app.Get<VoteService>().CastAsync(await w.ContributorAsync(app), new CastVote(w.CampaignId, w.ProjectA, null));
        var lifecycle = app.Get<CampaignLifecycle>();
        await lifecycle.CloseAsync(w.Admin, w.CampaignId, 1);
        await lifecycle.AllocateAsync(w.Admin, w.CampaignId, 2);
        var loanIds = await app.Get<CampaignLifecycle>().DisburseAsync(w.Admin, w.CampaignId, 3, DateOnly.FromDateTime(DateTime.Today).AddDays(-30));
        return (w, Assert.Single(loanIds));
    }

    private async Task<int> StructureAsync()
    {
        await using var db = app.CreateDbContext();
        var structure = new Portal.Domain.Projects.BeneficiaryStructure($"Structure {Guid.NewGuid():N}", "Lyon", "Mission");
        db.Beneficiaries.Add(structure);
        await db.SaveChangesAsync();
        return structure.Id;
    }
}
