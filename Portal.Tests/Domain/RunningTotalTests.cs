using CsCheck;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Tests.Support;

namespace Portal.Tests.Domain;

public class RunningTotalTests
{
    [Fact]
    public void Running_totals_equal_the_ledger_sums_after_any_sequence_of_entries_and_reversals()
    {
        // Each step: log an entry (amount in cents, solidons), or reverse the entry at some index (if not yet reversed).
        var step = Gen.OneOf(
            // The amount stays within the default range of a solidon's average (0,10 € to 20 €) and the entry ceiling.
            Gen.Select(Gen.Long[10, 2_000], Gen.Int[1, 100], (centsEach, solidons) => (Reverse: -1, Cents: centsEach * solidons, Solidons: solidons)),
            Gen.Int[0, 50].Select(i => (Reverse: i, Cents: 0L, Solidons: 0)));
        step.Array[1, 60].Sample(steps =>
        {
            var campaign = new CampaignBuilder().Open().Build();
            var now = CampaignBuilder.Start.AddDays(3);
            var ledger = new List<DonationEntry>();
            var reversed = new HashSet<DonationEntry>();
            foreach (var s in steps)
            {
                if (s.Reverse < 0)
                    ledger.Add(campaign.LogDonation(1, new Money(s.Cents), s.Solidons, null, now, "m", now));
                else if (ledger.Where(e => !e.IsReversal && !reversed.Contains(e)).ElementAtOrDefault(s.Reverse) is { } target)
                {
                    ledger.Add(campaign.Reverse(target, false, "correction", "m", now));
                    reversed.Add(target);
                }
            }
            Assert.Equal(ledger.Sum(e => e.Amount.Cents), campaign.Collected.Cents);
            Assert.Equal(ledger.Sum(e => e.Solidons), campaign.Solidons);
            Assert.Equal(ledger.Count, campaign.Entries);
            Assert.True(campaign.Collected.Cents >= 0);
        });
    }
}
