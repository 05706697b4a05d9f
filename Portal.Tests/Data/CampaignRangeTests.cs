using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Common;
using Portal.Tests.Support;
using Portal.Web.Features.Admin;
using Portal.Web.Features.Campaigns;
using Portal.Web.Features.Donations;

namespace Portal.Tests.Data;

/// <summary>Staff set a campaign's range for the average solidon; the ledger refuses entries outside it.</summary>
public class CampaignRangeTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    [Fact]
    public async Task A_campaign_created_with_its_own_range_refuses_entries_outside_it_and_takes_those_within()
    {
        TestCulture.UseFrench();
        var w = await TestWorld.CreateAsync(app);
        var today = DateTime.Today;
        var id = await app.Get<Catalog>().CreateCampaignAsync(w.Admin, new CampaignInput
        {
            Name = $"Fleuristes {Guid.NewGuid():N}"[..30], NetworkId = w.NetworkId, StartsOn = today.AddDays(-1), EndsOn = today.AddDays(10),
            Target = 1_000, ProjectIds = [w.ProjectA, w.ProjectB], SolidonMinimum = 1, SolidonMaximum = 2,
        });
        await app.Get<CampaignLifecycle>().OpenAsync(w.Admin, id, 0);
        var ledger = app.Get<DonationLedger>();

        var tooSmall = await Assert.ThrowsAsync<DomainException>(() => ledger.LogAsync(w.MerchantA,
            new LogDonation { CampaignId = id, EstablishmentId = w.EstablishmentA, Amount = 9.99m, Solidons = 10 }));
        var tooLarge = await Assert.ThrowsAsync<DomainException>(() => ledger.LogAsync(w.MerchantA,
            new LogDonation { CampaignId = id, EstablishmentId = w.EstablishmentA, Amount = 20.01m, Solidons = 10 }));
        var within = await ledger.LogAsync(w.MerchantA, new LogDonation { CampaignId = id, EstablishmentId = w.EstablishmentA, Amount = 15, Solidons = 10 });

        Assert.Equal(("donation.solidon_average", "amount"), (tooSmall.Code, tooSmall.Field));
        Assert.Equal("donation.solidon_average", tooLarge.Code);
        await using var db = app.CreateDbContext();
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == id);
        Assert.Equal((100L, 200L), (campaign.SolidonMinimum.Cents, campaign.SolidonMaximum.Cents));
        Assert.Equal(within.Id, (await db.Donations.SingleAsync(d => d.CampaignId == id)).Id);
    }

    [Fact]
    public async Task A_range_whose_maximum_is_below_its_minimum_is_refused_and_creates_nothing()
    {
        TestCulture.UseFrench();
        var w = await TestWorld.CreateAsync(app);
        var name = $"Inversée {Guid.NewGuid():N}"[..30];
        var error = await Assert.ThrowsAsync<ValidationException>(() => app.Get<Catalog>().CreateCampaignAsync(w.Admin, new CampaignInput
        {
            Name = name, NetworkId = w.NetworkId, StartsOn = DateTime.Today, EndsOn = DateTime.Today.AddDays(10),
            Target = 1_000, ProjectIds = [w.ProjectA, w.ProjectB], SolidonMinimum = 5, SolidonMaximum = 1,
        }));

        Assert.Contains(error.Errors, e => e.PropertyName == nameof(CampaignInput.SolidonMaximum) && e.ErrorMessage == "Le maximum doit être au moins égal au minimum.");
        await using var db = app.CreateDbContext();
        Assert.False(await db.Campaigns.AnyAsync(c => c.Name == name));
    }
}
