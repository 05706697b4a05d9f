using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Networks;

namespace Portal.Tests.Support;

/// <summary>Builds campaigns in a given state for domain tests: <c>new CampaignBuilder().WithProjects(3).Open().Build()</c>.</summary>
public sealed class CampaignBuilder
{
    public static readonly DateTimeOffset Start = new(2026, 10, 1, 8, 0, 0, TimeSpan.Zero);

    private int _projects = 2;
    private CampaignStatus _status = CampaignStatus.Draft;
    private AllocationRule _rule = AllocationRule.WinnerTakesAll;
    private Money? _ceiling;
    private Func<int, Money> _requested = _ => Money.FromEuros(1_000);
    private (Money Collected, int[] Votes)? _totals;
    private VoterRule _voters = VoterRule.AccountsAndTickets;

    public CampaignBuilder WithProjects(int count) { _projects = count; return this; }
    public CampaignBuilder WithRule(AllocationRule rule) { _rule = rule; return this; }
    public CampaignBuilder WithCeiling(decimal euros) { _ceiling = Money.FromEuros(euros); return this; }
    public CampaignBuilder Requesting(Func<int, Money> requested) { _requested = requested; return this; }
    public CampaignBuilder WithVoters(VoterRule voters) { _voters = voters; return this; }
    public CampaignBuilder Open() { _status = CampaignStatus.Open; return this; }
    /// <summary>The running totals as the database would hold them once open: collected, then votes for project 1, 2...</summary>
    public CampaignBuilder WithTotals(decimal collectedEuros, params int[] votes) { _totals = (Money.FromEuros(collectedEuros), votes); return this; }
    public CampaignBuilder InStatus(CampaignStatus status) { _status = status; return this; }

    public Campaign Build()
    {
        var projects = Enumerable.Range(1, _projects).Select(i => (i, _requested(i))).ToList();
        var campaign = Campaign.Draft("Campagne de test", 1, Sector.Food, Start, Start.AddDays(30), Money.FromEuros(5_000),
            projects, _rule, liveVotes: true, entryCeiling: _ceiling, voters: _voters);
        var now = Start.AddDays(1);
        if (_status >= CampaignStatus.Open) campaign.Open(now);
        if (_totals is ({ } collected, { } votes))
        {
            campaign.CollectedCents = collected.Cents;
            for (var i = 0; i < votes.Length; i++) campaign.Candidates[i].Votes = votes[i];
            campaign.VotesCast = votes.Sum();
        }
        if (_status >= CampaignStatus.Closed) campaign.Close(now);
        if (_status >= CampaignStatus.Allocated) campaign.Allocate(now);
        if (_status >= CampaignStatus.Disbursed) campaign.MarkDisbursed(now);
        return campaign;
    }
}
