using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Tests.Support;

namespace Portal.Tests.Domain;

public class CampaignLifecycleTests
{
    private static readonly DateTimeOffset Now = CampaignBuilder.Start.AddDays(2);

    public static TheoryData<CampaignStatus, string> EveryStatusAndAction()
    {
        var data = new TheoryData<CampaignStatus, string>();
        foreach (var status in Enum.GetValues<CampaignStatus>())
            foreach (var action in new[] { "open", "close", "allocate", "disburse", "donate", "vote" })
                data.Add(status, action);
        return data;
    }

    /// <summary>The one legal move from each status; every other action in that status throws and changes nothing.</summary>
    private static readonly Dictionary<CampaignStatus, string[]> Allowed = new()
    {
        [CampaignStatus.Draft] = ["open"],
        [CampaignStatus.Open] = ["close", "donate", "vote"],
        [CampaignStatus.Closed] = ["allocate"],
        [CampaignStatus.Allocated] = ["disburse"],
        [CampaignStatus.Disbursed] = [],
    };

    [Theory]
    [MemberData(nameof(EveryStatusAndAction))]
    public void Every_action_in_every_status_is_either_the_legal_move_or_a_domain_error(CampaignStatus status, string action)
    {
        var campaign = new CampaignBuilder().InStatus(status).Build();
        var before = (campaign.Status, campaign.Collected, campaign.VotesCast);

        CampaignChange Act() => action switch
        {
            "open" => campaign.Open(Now),
            "close" => campaign.Close(Now),
            "allocate" => campaign.Allocate(Now),
            "disburse" => campaign.MarkDisbursed(Now),
            "donate" => campaign.LogDonation(1, Money.FromEuros(5), 5, null, Now, "merchant", Now),
            "vote" => campaign.CastVote(null, "contributor", 1, null, Now).Change,
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };

        if (Allowed[status].Contains(action))
        {
            var change = Act();
            Assert.Equal(campaign.Id, change.CampaignId);
            Assert.NotEmpty(change.Events);
        }
        else
        {
            Assert.Throws<DomainException>(() => Act());
            Assert.Equal(before, (campaign.Status, campaign.Collected, campaign.VotesCast));
        }
    }

    [Fact]
    public void Opening_a_campaign_with_a_single_candidate_is_refused()
    {
        var campaign = new CampaignBuilder().WithProjects(1).Build();
        var error = Assert.Throws<DomainException>(() => campaign.Open(Now));
        Assert.Equal("campaign.candidates", error.Code);
        Assert.Equal(CampaignStatus.Draft, campaign.Status);
    }

    [Fact]
    public void A_campaign_cannot_end_before_it_starts()
    {
        var error = Assert.Throws<DomainException>(() => Campaign.Draft("X", 1, Portal.Domain.Networks.Sector.Food,
            Now, Now.AddDays(-1), Money.FromEuros(10), [(1, Money.FromEuros(5)), (2, Money.FromEuros(5))]));
        Assert.Equal("campaign.period", error.Code);
    }
}
