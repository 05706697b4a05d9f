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
            Assert.Contains("Indiquez le nombre de solidons (un nombre entier).", cut.Markup);
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

        cut.WaitForAssertion(() => Assert.Contains("Vous n’avez pas le droit de faire cela.", cut.Markup));
        await using var db = _app.CreateDbContext();
        Assert.False(await db.Donations.AnyAsync(d => d.CampaignId == w.CampaignId));
    }
}

public class QuickEntryBadInputTests : PortalTestContext, IClassFixture<EmptyPortalFactory>
{
    private readonly EmptyPortalFactory _app;

    public QuickEntryBadInputTests(EmptyPortalFactory app)
    {
        _app = app;
        UsePortalServices(app);
    }

    private async Task<(TestWorld World, IRenderedComponent<QuickEntry> Form)> QuickEntryForMerchantAAsync()
    {
        var w = await TestWorld.CreateAsync(_app);
        SignInAs(w.MerchantA, Roles.Merchant);
        return (w, Render<QuickEntry>(p => p.Add(q => q.EstablishmentId, w.EstablishmentA).Add(q => q.CampaignId, w.CampaignId)));
    }

    // What a merchant types is saved as typed or refused with a reason: never changed into another number.
    [Theory]
    [InlineData("12,50", "0", "Entre 1 et 10 000 solidons par saisie.")]
    [InlineData("12,50", "-2", "Entre 1 et 10 000 solidons par saisie.")]
    [InlineData("-5", "3", "Le montant doit être supérieur à zéro.")]
    [InlineData("0", "3", "Le montant doit être supérieur à zéro.")]
    [InlineData("12,50", "20000", "Entre 1 et 10 000 solidons par saisie.")]
    public async Task A_wrong_number_is_refused_with_its_reason_kept_as_typed_and_nothing_is_logged(string amount, string solidons, string message)
    {
        var (w, cut) = await QuickEntryForMerchantAAsync();

        cut.Find("#quick-amount").Change(amount);
        cut.Find("#quick-solidons").Change(solidons);
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Markup));
        Assert.Equal(amount, cut.Find("#quick-amount").GetAttribute("value"));
        Assert.Equal(solidons, cut.Find("#quick-solidons").GetAttribute("value"));
        await using var db = _app.CreateDbContext();
        Assert.False(await db.Donations.AnyAsync(d => d.CampaignId == w.CampaignId));
    }

    [Fact]
    public async Task A_fraction_of_a_solidon_is_refused_as_not_a_whole_number()
    {
        var (w, cut) = await QuickEntryForMerchantAAsync();

        cut.Find("#quick-amount").Change("12,50");
        cut.Find("#quick-solidons").Change("5.5");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("Indiquez le nombre de solidons (un nombre entier).", cut.Markup));

        await using var db = _app.CreateDbContext();
        Assert.False(await db.Donations.AnyAsync(d => d.CampaignId == w.CampaignId));
    }

    [Fact]
    public async Task A_fraction_of_a_bill_is_refused_rather_than_dropped()
    {
        var (w, cut) = await QuickEntryForMerchantAAsync();

        cut.Find("#quick-amount").Change("12,50");
        cut.Find("#quick-solidons").Change("5");
        cut.Find("#quick-bills").Change("7.5");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("Nombre non valide\u00A0: saisissez un nombre entier", cut.Markup));
        await using var db = _app.CreateDbContext();
        Assert.False(await db.Donations.AnyAsync(d => d.CampaignId == w.CampaignId));
    }

    [Fact]
    public async Task An_amount_that_does_not_match_its_solidons_is_refused_by_the_campaigns_range()
    {
        var (w, cut) = await QuickEntryForMerchantAAsync();

        cut.Find("#quick-amount").Change("0,01");
        cut.Find("#quick-solidons").Change("100");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("Le montant ne correspond pas au nombre de solidons", cut.Markup));
        await using var db = _app.CreateDbContext();
        Assert.False(await db.Donations.AnyAsync(d => d.CampaignId == w.CampaignId));
    }
}
