using Microsoft.EntityFrameworkCore;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Tests.Support;
using Portal.Web.Features.Campaigns;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Loans;
using Portal.Web.Features.Transparency;
using Portal.Web.Features.Votes;

namespace Portal.Tests.Data;

public class ChainOfFundsTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    [Fact]
    public async Task After_a_full_campaign_cycle_the_transparency_figures_equal_the_ledger_sums_and_add_up()
    {
        var w = await TestWorld.CreateAsync(app, AllocationRule.ProportionalToVotes);
        var ledger = app.Get<DonationLedger>();
        var amounts = new[] { 12.40m, 7.35m, 33.10m, 5.05m, 19.99m, 2.01m };
        var entries = new List<DonationEntry>();
        for (var i = 0; i < amounts.Length; i++)
            entries.Add(await ledger.LogAsync(i % 2 == 0 ? w.MerchantA : w.MerchantB, new LogDonation
                { CampaignId = w.CampaignId, EstablishmentId = i % 2 == 0 ? w.EstablishmentA : w.EstablishmentB, Amount = amounts[i], Solidons = i + 1 }));
        await ledger.ReverseAsync(w.MerchantB, new ReverseDonation { EntryId = entries[1].Id, Reason = "Erreur" });
        for (var i = 0; i < 7; i++)
            await app.Get<VoteService>().CastAsync(await w.ContributorAsync(app), new CastVote(w.CampaignId, i < 4 ? w.ProjectA : w.ProjectB, null));
        var lifecycle = app.Get<CampaignLifecycle>();
        await lifecycle.CloseAsync(w.Admin, w.CampaignId, 1);
        await lifecycle.AllocateAsync(w.Admin, w.CampaignId, 2);
        var loanIds = await app.Get<CampaignLifecycle>().DisburseAsync(w.Admin, w.CampaignId, 3, DateOnly.FromDateTime(DateTime.Today).AddDays(-20));
        var admin = app.Get<LoanAdministration>();
        await admin.SetPlanAsync(w.Admin, loanIds[0], 0, new PlanInput { CashShare = 10, HourlyRate = 4, Installments = 2, MonthsBetween = 3 });
        await admin.RecordCashAsync(w.Admin, loanIds[0], 1, 3.21m, DateOnly.FromDateTime(DateTime.Today));
        int structure;
        await using (var db = app.CreateDbContext())
        {
            var s = new Portal.Domain.Projects.BeneficiaryStructure($"Structure {Guid.NewGuid():N}", "Lyon", "Mission");
            db.Beneficiaries.Add(s);
            await db.SaveChangesAsync();
            structure = s.Id;
        }
        await admin.CommitAsync(w.Admin, loanIds[0], 2, structure, "Cuisine", 1.5m);
        int loanProject, commitment;
        await using (var db = app.CreateDbContext())
        {
            var loan = await db.Loans.SingleAsync(l => l.Id == loanIds[0]);
            (loanProject, commitment) = (loan.ProjectId, loan.Commitments.Single().Id);
        }
        var entrepreneur = await TestWorld.UserAsync(app, $"e-{Guid.NewGuid():N}@t.fr", Roles.Entrepreneur, projectId: loanProject);
        var receiver = await TestWorld.UserAsync(app, $"s-{Guid.NewGuid():N}@t.fr", Roles.Beneficiary, beneficiaryId: structure);
        var hours = await app.Get<LoanService>().LogHoursAsync(entrepreneur, new LogHours { LoanId = loanIds[0], CommitmentId = commitment, WorkedOn = DateTime.Today, Hours = 1.25m, Description = "Atelier" });
        await app.Get<LoanService>().DecideAsync(receiver, new DecideHours { EntryId = hours.Id, Confirm = true });

        await using var check = app.CreateDbContext();
        var campaign = await check.Campaigns.SingleAsync(c => c.Id == w.CampaignId);
        var chain = (await app.Get<ChainOfFundsQuery>().ReadAsync(campaign.Slug))!;
        var ledgerSum = await check.Donations.Where(d => d.CampaignId == w.CampaignId).SumAsync(d => d.AmountCents);
        var loans = await check.Loans.Where(l => l.CampaignId == w.CampaignId).ToListAsync();

        Assert.True(chain.AddsUp);
        Assert.Equal(ledgerSum, chain.Collected.Cents);
        Assert.Equal(amounts.Sum() - amounts[1], chain.Collected.Euros);
        Assert.Equal(ledgerSum, chain.Allocated.Cents + chain.Unallocated.Cents);
        Assert.Equal(loans.Sum(l => l.Principal.Cents), chain.Lent.Cents);
        Assert.Equal(321, chain.CashRepaid.Cents);
        Assert.Equal(Hours.From(1.25m), chain.ConfirmedHours);
        Assert.Equal(500, chain.HoursValue.Cents);
        Assert.Equal(chain.Lent.Cents - 321 - 500, chain.Outstanding.Cents);
        Assert.Equal(ledgerSum, chain.Campaigns.Single().ByEstablishment.Sum(e => e.Collected.Cents));
    }
}
