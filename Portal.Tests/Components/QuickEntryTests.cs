using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Identity;
using Portal.Tests.Support;
using Portal.Web.Features.Merchant;

namespace Portal.Tests.Components;

public class QuickEntryTests : PortalTestContext, IClassFixture<EmptyPortalFactory>
{
    private readonly EmptyPortalFactory _app;

    public QuickEntryTests(EmptyPortalFactory app)
    {
        _app = app;
        UsePortalServices(app);
    }

    [Fact]
    public async Task Submitting_empty_fields_shows_french_errors_and_logs_nothing()
    {
        var w = await TestWorld.CreateAsync(_app);
        SignInAs(w.MerchantA, Roles.Merchant);
        var cut = Render<QuickEntry>(p => p.Add(q => q.EstablishmentId, w.EstablishmentA).Add(q => q.CampaignId, w.CampaignId));

        cut.Find("form").Submit();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Indiquez le montant collecté.", cut.Markup);
            Assert.Contains("Indiquez le nombre de solidons.", cut.Markup);
        });
        await using var db = _app.CreateDbContext();
        Assert.False(await db.Donations.AnyAsync(d => d.CampaignId == w.CampaignId));
    }

    [Fact]
    public async Task A_valid_entry_is_logged_and_the_parent_is_told()
    {
        var w = await TestWorld.CreateAsync(_app);
        SignInAs(w.MerchantA, Roles.Merchant);
        var told = 0;
        var cut = Render<QuickEntry>(p => p.Add(q => q.EstablishmentId, w.EstablishmentA).Add(q => q.CampaignId, w.CampaignId)
            .Add(q => q.OnLogged, () => told++));

        cut.Find("#quick-amount").Change("7,50");
        cut.Find("#quick-solidons").Change("6");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Equal(1, told));
        await using var db = _app.CreateDbContext();
        var entry = await db.Donations.SingleAsync(d => d.CampaignId == w.CampaignId);
        Assert.Equal(750, entry.AmountCents);
        Assert.Equal(6, entry.Solidons);
        Assert.Equal(w.MerchantA.UserId, entry.LoggedBy);
    }

    [Fact]
    public async Task A_merchant_posting_for_another_establishment_is_refused_on_the_server()
    {
        var w = await TestWorld.CreateAsync(_app);
        SignInAs(w.MerchantA, Roles.Merchant);
        // The component is handed B's establishment, as a tampered circuit could do.
        var cut = Render<QuickEntry>(p => p.Add(q => q.EstablishmentId, w.EstablishmentB).Add(q => q.CampaignId, w.CampaignId));

        cut.Find("#quick-amount").Change("5");
        cut.Find("#quick-solidons").Change("5");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("Vous n'avez pas le droit de faire cela.", cut.Markup));
        await using var db = _app.CreateDbContext();
        Assert.False(await db.Donations.AnyAsync(d => d.CampaignId == w.CampaignId));
    }
}
