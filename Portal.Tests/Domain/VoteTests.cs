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
        var (_, outcome) = campaign.CastVote(null, "ana", 2, null, Now);
        Assert.Equal(VoteOutcome.Counted, outcome);
        Assert.Equal(1, campaign.Candidates.Single(c => c.ProjectId == 2).Votes);
        Assert.Equal(1, campaign.VotesCast);
    }

    [Fact]
    public void Changing_a_vote_moves_it_and_the_last_choice_counts()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var (vote, _) = campaign.CastVote(null, "ana", 1, null, Now);
        var (_, outcome) = campaign.CastVote(vote, "ana", 2, null, Now.AddMinutes(1));
        Assert.Equal(VoteOutcome.Moved, outcome);
        Assert.Equal(2, vote.ProjectId);
        Assert.Equal(0, campaign.Candidates.Single(c => c.ProjectId == 1).Votes);
        Assert.Equal(1, campaign.Candidates.Single(c => c.ProjectId == 2).Votes);
        Assert.Equal(1, campaign.VotesCast);
    }

    [Fact]
    public void The_same_vote_twice_counts_once()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var (vote, _) = campaign.CastVote(null, "ana", 1, null, Now);
        var (_, outcome) = campaign.CastVote(vote, "ana", 1, null, Now);
        Assert.Equal(VoteOutcome.Unchanged, outcome);
        Assert.Equal(1, campaign.VotesCast);
    }

    [Fact]
    public void A_vote_for_a_project_not_in_the_campaign_is_refused()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var error = Assert.Throws<DomainException>(() => campaign.CastVote(null, "ana", 99, null, Now));
        Assert.Equal("vote.not_candidate", error.Code);
        Assert.Equal(0, campaign.VotesCast);
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
        var (vote, _) = campaign.CastVote(null, "ana", 1, null, Now);
        var error = Assert.Throws<DomainException>(() => campaign.CastVote(vote, "bob", 2, null, Now));
        Assert.Equal("vote.not_yours", error.Code);
    }
}
