using Portal.Domain.Common;

namespace Portal.Domain.Campaigns;

public sealed record CandidateTally(int ProjectId, int Position, int Votes, Money Requested);

public sealed record AllocationResult(IReadOnlyDictionary<int, Money> ByProject, Money Unallocated)
{
    public Money Allocated => new(ByProject.Values.Sum(m => m.Cents));
}

/// <summary>
/// Splits a pot between candidates, cent-exact: the shares plus what stays unallocated always equal the pot.
/// Ranking: most votes first, ties broken by the order in which projects were listed on the campaign.
/// With no vote at all nothing is allocated: the association decides what to do with the pot.
/// Proportional rounding: each project gets the floor of its exact share; the cents left over go one by one to
/// the largest fractional remainders (Hamilton's method), ties again by ranking.
/// </summary>
public static class Allocator
{
    public static AllocationResult Split(AllocationRule rule, Money pot, IReadOnlyList<CandidateTally> candidates)
    {
        if (pot.Cents < 0) throw new DomainException("allocation.negative_pot", "The pot cannot be negative.");
        var shares = candidates.ToDictionary(c => c.ProjectId, _ => Money.Zero);
        var ranked = candidates.OrderByDescending(c => c.Votes).ThenBy(c => c.Position).ToList();
        long totalVotes = candidates.Sum(c => (long)c.Votes);
        if (totalVotes == 0 || pot.Cents == 0) return new(shares, pot);

        switch (rule)
        {
            case AllocationRule.WinnerTakesAll:
                shares[ranked[0].ProjectId] = pot;
                return new(shares, Money.Zero);

            case AllocationRule.ProportionalToVotes:
                var remainders = new List<(CandidateTally Candidate, long Remainder)>();
                long given = 0;
                foreach (var c in ranked)
                {
                    var exact = (Int128)pot.Cents * c.Votes;
                    var floor = (long)(exact / totalVotes);
                    shares[c.ProjectId] = new Money(floor);
                    given += floor;
                    remainders.Add((c, (long)(exact % totalVotes)));
                }
                // Stable sort keeps the vote ranking among equal remainders.
                foreach (var (c, _) in remainders.OrderByDescending(r => r.Remainder).Take((int)(pot.Cents - given)))
                    shares[c.ProjectId] += new Money(1);
                return new(shares, Money.Zero);

            case AllocationRule.RankedUpToRequested:
                var left = pot;
                foreach (var c in ranked.Where(c => c.Votes > 0))
                {
                    var share = Money.Min(c.Requested, left);
                    shares[c.ProjectId] = share;
                    left -= share;
                }
                return new(shares, left);

            default:
                throw new DomainException("allocation.rule", $"Unknown allocation rule {rule}.");
        }
    }
}
