using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Tests.Support;

namespace Portal.Tests.Domain;

public class VoteTests
{
    private static readonly DateTimeOffset Now = CampaignBuilder.Start.AddDays(2);

    [Fact]
    public void A_first_vote_is_counted()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var (vote, outcome, change) = campaign.CastVote(null, "ana", 2, null, Now);
        Assert.Equal(VoteOutcome.Counted, outcome);
        Assert.Equal([vote], change.NewVotes);
        Assert.Equal(1, change.Totals.VotesCast);
        Assert.Equal(new Dictionary<int, int> { [2] = 1 }, change.Totals.VotesByProject);
        Assert.Equal(new VoteCast(campaign.Id, 2, null), Assert.Single(change.Events));
    }

    [Fact]
    public void Changing_a_vote_moves_it_and_the_last_choice_counts()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var (vote, _, _) = campaign.CastVote(null, "ana", 1, null, Now);
        var (_, outcome, change) = campaign.CastVote(vote, "ana", 2, null, Now.AddMinutes(1));
        Assert.Equal(VoteOutcome.Moved, outcome);
        Assert.Equal(2, vote.ProjectId);
        Assert.Empty(change.NewVotes);
        Assert.Equal(0, change.Totals.VotesCast);
        Assert.Equal(new Dictionary<int, int> { [1] = -1, [2] = 1 }, change.Totals.VotesByProject);
    }

    [Fact]
    public void A_vote_counted_then_moved_in_one_batch_counts_once_for_the_last_choice()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var (vote, _, counted) = campaign.CastVote(null, "ana", 1, null, Now);
        var (_, _, moved) = campaign.CastVote(vote, "ana", 2, null, Now);
        var batch = new CampaignChange(campaign.Id);
        batch.Merge(counted);
        batch.Merge(moved);
        Assert.Equal(1, batch.Totals.VotesCast);
        Assert.Equal(new Dictionary<int, int> { [2] = 1 }, batch.Totals.VotesByProject);
        Assert.Equal(2, Assert.Single(batch.NewVotes).ProjectId);
    }

    [Fact]
    public void The_same_vote_twice_counts_once()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var (vote, _, _) = campaign.CastVote(null, "ana", 1, null, Now);
        var (_, outcome, change) = campaign.CastVote(vote, "ana", 1, null, Now);
        Assert.Equal(VoteOutcome.Unchanged, outcome);
        Assert.True(change.IsEmpty);
        Assert.Empty(change.Totals.VotesByProject);
    }

    [Fact]
    public void A_vote_for_a_project_not_in_the_campaign_is_refused()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var error = Assert.Throws<DomainException>(() => campaign.CastVote(null, "ana", 99, null, Now));
        Assert.Equal("vote.not_candidate", error.Code);
    }

    [Fact]
    public void Vote_after_close_is_rejected()
    {
        var campaign = new CampaignBuilder().InStatus(CampaignStatus.Closed).Build();
        var error = Assert.Throws<DomainException>(() => campaign.CastVote(null, "ana", 1, null, Now));
        Assert.Equal("vote.campaign_not_open", error.Code);
    }

    [Fact]
    public void Someone_elses_vote_cannot_be_moved()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var (vote, _, _) = campaign.CastVote(null, "ana", 1, null, Now);
        var error = Assert.Throws<DomainException>(() => campaign.CastVote(vote, "bob", 2, null, Now));
        Assert.Equal("vote.not_yours", error.Code);
        Assert.Equal(1, vote.ProjectId);
    }
}
