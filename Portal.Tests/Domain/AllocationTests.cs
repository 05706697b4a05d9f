using CsCheck;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;

namespace Portal.Tests.Domain;

public class AllocationTests
{
    private static CandidateTally T(int id, int votes, decimal requested = 1_000) => new(id, id, votes, Money.FromEuros(requested));

    [Fact]
    public void Winner_takes_the_whole_pot()
    {
        var result = Allocator.Split(AllocationRule.WinnerTakesAll, Money.FromEuros(900), [T(1, 3), T(2, 5)]);
        Assert.Equal(Money.FromEuros(900), result.ByProject[2]);
        Assert.Equal(Money.Zero, result.ByProject[1]);
    }

    [Fact]
    public void A_tie_is_broken_by_the_order_projects_were_listed()
    {
        var result = Allocator.Split(AllocationRule.WinnerTakesAll, Money.FromEuros(100), [T(1, 4), T(2, 4)]);
        Assert.Equal(Money.FromEuros(100), result.ByProject[1]);
    }

    [Fact]
    public void Proportional_split_gives_leftover_cents_to_the_largest_remainders()
    {
        // 100,00 € over 1:1:1 -> 33,34 + 33,33 + 33,33 (the first listed gets the odd cent).
        var result = Allocator.Split(AllocationRule.ProportionalToVotes, Money.FromEuros(100), [T(1, 1), T(2, 1), T(3, 1)]);
        Assert.Equal(new Money(3334), result.ByProject[1]);
        Assert.Equal(new Money(3333), result.ByProject[2]);
        Assert.Equal(new Money(3333), result.ByProject[3]);
    }

    [Fact]
    public void Ranked_rule_funds_each_project_up_to_its_need_and_keeps_the_rest_unallocated()
    {
        var result = Allocator.Split(AllocationRule.RankedUpToRequested, Money.FromEuros(1_500),
            [T(1, 2, requested: 1_000), T(2, 9, requested: 400), T(3, 0, requested: 800)]);
        Assert.Equal(Money.FromEuros(400), result.ByProject[2]);
        Assert.Equal(Money.FromEuros(1_000), result.ByProject[1]);
        Assert.Equal(Money.Zero, result.ByProject[3]);
        Assert.Equal(Money.FromEuros(100), result.Unallocated);
    }

    [Fact]
    public void With_no_vote_nothing_is_allocated()
    {
        var result = Allocator.Split(AllocationRule.ProportionalToVotes, Money.FromEuros(50), [T(1, 0), T(2, 0)]);
        Assert.Equal(Money.FromEuros(50), result.Unallocated);
        Assert.All(result.ByProject.Values, m => Assert.Equal(Money.Zero, m));
    }

    [Fact]
    public void Every_cent_of_the_pot_is_allocated_or_explicitly_unallocated_under_every_rule()
    {
        var candidates = Gen.Select(Gen.Int[0, 5_000], Gen.Long[1, 2_000_000]).Array[2, 8];
        Gen.Select(Gen.Long[0, 50_000_000], candidates, Gen.Enum<AllocationRule>()).Sample((pot, tallies, rule) =>
        {
            var list = tallies.Select((t, i) => new CandidateTally(i + 1, i, t.Item1, new Money(t.Item2))).ToList();
            var result = Allocator.Split(rule, new Money(pot), list);
            Assert.Equal(pot, result.Allocated.Cents + result.Unallocated.Cents);
            Assert.All(result.ByProject.Values, share => Assert.True(share.Cents >= 0));
            if (rule == AllocationRule.RankedUpToRequested)
                Assert.All(list, c => Assert.True(result.ByProject[c.ProjectId] <= c.Requested));
            if (rule == AllocationRule.ProportionalToVotes && list.Sum(c => (long)c.Votes) > 0)
            {
                // No project is more than one cent away from its exact share.
                var total = list.Sum(c => (decimal)c.Votes);
                Assert.All(list, c => Assert.True(Math.Abs(result.ByProject[c.ProjectId].Cents - pot * c.Votes / total) < 1m));
            }
        });
    }
}
