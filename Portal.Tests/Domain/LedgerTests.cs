using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Tests.Support;

namespace Portal.Tests.Domain;

public class LedgerTests
{
    private static readonly DateTimeOffset Now = CampaignBuilder.Start.AddDays(2);

    [Theory]
    [InlineData(0, "donation.amount_positive")]
    [InlineData(-3, "donation.amount_positive")]
    [InlineData(501, "donation.amount_ceiling")]
    public void Bad_amounts_are_refused_and_nothing_is_counted(decimal euros, string code)
    {
        var campaign = new CampaignBuilder().WithCeiling(500).Open().Build();
        var error = Assert.Throws<DomainException>(() => campaign.LogDonation(1, new Money((long)(euros * 100)), 1, null, Now, "m", Now));
        Assert.Equal(code, error.Code);
        Assert.Equal(Money.Zero, campaign.Collected);
        Assert.Equal(0, campaign.Entries);
    }

    [Fact]
    public void An_entry_outside_the_campaign_period_is_refused()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var error = Assert.Throws<DomainException>(() =>
            campaign.LogDonation(1, Money.FromEuros(2), 1, null, CampaignBuilder.Start.AddDays(-1), "m", Now));
        Assert.Equal("donation.outside_period", error.Code);
    }

    [Fact]
    public void An_entry_dated_in_the_future_is_refused()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var error = Assert.Throws<DomainException>(() => campaign.LogDonation(1, Money.FromEuros(2), 1, null, Now.AddHours(2), "m", Now));
        Assert.Equal("donation.future", error.Code);
    }

    [Fact]
    public void Fewer_bills_than_solidons_is_refused()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var error = Assert.Throws<DomainException>(() => campaign.LogDonation(1, Money.FromEuros(2), 4, 3, Now, "m", Now));
        Assert.Equal("donation.bills_below_solidons", error.Code);
    }

    [Fact]
    public void Reversal_restores_the_running_total_and_keeps_the_original()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var logged = campaign.LogDonation(3, Money.FromEuros(12.50m), 10, 40, Now, "m", Now);
        var entry = logged.Entries[0];
        var corrected = campaign.Reverse(entry, alreadyReversed: false, "Erreur de saisie", "m", Now);
        var reversal = corrected.Entries[0];

        var both = new CampaignChange(campaign.Id);
        both.Merge(logged);
        both.Merge(corrected);
        Assert.Equal(0, both.Totals.CollectedCents);
        Assert.Equal(0, both.Totals.Solidons);
        Assert.Equal(2, both.Totals.Entries);
        Assert.Equal(new PlaceDelta(Entries: 2), both.Totals.Places[3]);
        Assert.Equal(Money.FromEuros(-12.50m), reversal.Amount);
        Assert.Equal(-40, reversal.Bills);
        Assert.Equal(Money.FromEuros(12.50m), entry.Amount);
        Assert.Equal("Erreur de saisie", reversal.Reason);
    }

    [Fact]
    public void A_reversal_of_a_reversal_is_refused()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var entry = campaign.LogDonation(3, Money.FromEuros(5), 5, null, Now, "m", Now).Entries[0];
        var reversal = campaign.Reverse(entry, false, "Doublon", "m", Now).Entries[0];
        var error = Assert.Throws<DomainException>(() => campaign.Reverse(reversal, false, "Encore", "m", Now));
        Assert.Equal("donation.reverse_reversal", error.Code);
    }

    [Fact]
    public void An_entry_is_reversed_at_most_once()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var entry = campaign.LogDonation(3, Money.FromEuros(5), 5, null, Now, "m", Now).Entries[0];
        var error = Assert.Throws<DomainException>(() => campaign.Reverse(entry, alreadyReversed: true, "Doublon", "m", Now));
        Assert.Equal("donation.already_reversed", error.Code);
    }

    [Fact]
    public void Money_refuses_fractions_of_a_cent()
    {
        var error = Assert.Throws<DomainException>(() => Money.FromEuros(1.005m));
        Assert.Equal("money.sub_cent", error.Code);
    }

    [Fact]
    public void Money_is_shown_in_french_format()
    {
        // ICU puts narrow or plain no-break spaces there depending on its version: compare as a reader sees it.
        Assert.Equal("1 234,50 €", System.Text.RegularExpressions.Regex.Replace(Money.FromEuros(1234.50m).ToString(), @"\s", " "));
    }
}
