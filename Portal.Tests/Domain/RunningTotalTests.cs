using CsCheck;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Tests.Support;

namespace Portal.Tests.Domain;

public class RunningTotalTests
{
    [Fact]
    public void The_totals_deltas_add_up_to_the_ledger_sums_after_any_sequence_of_entries_and_reversals()
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
            var applied = new CampaignChange(campaign.Id);
            foreach (var s in steps)
            {
                CampaignChange change;
                if (s.Reverse < 0)
                    change = campaign.LogDonation(1, new Money(s.Cents), s.Solidons, s.Solidons * 2, now, "m", now);
                else if (ledger.Where(e => !e.IsReversal && !reversed.Contains(e)).ElementAtOrDefault(s.Reverse) is { } target)
                {
                    change = campaign.Reverse(target, false, "correction", "m", now);
                    reversed.Add(target);
                }
                else continue;
                ledger.AddRange(change.Entries);
                applied.Merge(change);
            }
            var totals = applied.Totals;
            Assert.Equal(ledger.Sum(e => e.Amount.Cents), totals.CollectedCents);
            Assert.Equal(ledger.Sum(e => e.Solidons), totals.Solidons);
            Assert.Equal(ledger.Count, totals.Entries);
            Assert.True(totals.CollectedCents >= 0);
            var place = totals.Places.GetValueOrDefault(1);
            Assert.Equal(new PlaceDelta(totals.CollectedCents, totals.Solidons, ledger.Sum(e => (long)e.Bills!.Value), totals.Solidons, ledger.Count), place);
            Assert.Equal(ledger.Count, applied.Events.Count);
        });
    }
}
