using CsCheck;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Tests.Support;

namespace Portal.Tests.Domain;

public class TicketTests
{
    private static readonly DateTimeOffset Now = CampaignBuilder.Start.AddDays(2);

    private static IReadOnlyList<VoteTicket> Mint(Campaign campaign, int tickets, int solidons = 5) =>
        campaign.LogDonation(7, Money.FromEuros(solidons), solidons, null, Now.AddHours(-1), "till", Now, tickets: tickets).Tickets;

    [Fact]
    public void A_million_codes_never_collide_and_each_reads_back_through_its_check_character()
    {
        var seen = new HashSet<string>(1_000_000);
        for (var i = 0; i < 1_000_000; i++)
        {
            var code = TicketCode.New();
            Assert.True(seen.Add(code), $"collision on {code}");
            Assert.Equal(TicketCode.Length, code.Length);
            Assert.Equal(code, TicketCode.Normalize(code));
        }
    }

    [Fact]
    public void A_code_reads_back_whatever_its_case_dashes_spaces_and_the_letters_taken_for_digits()
    {
        Gen.Int[0, 1].Sample(_ =>
        {
            var code = TicketCode.New();
            var printed = TicketCode.Format(code);
            Assert.Matches("^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$", printed);
            Assert.Equal(code, TicketCode.Normalize(printed));
            Assert.Equal(code, TicketCode.Normalize(" " + printed.ToLowerInvariant().Replace('-', ' ') + " "));
            Assert.Equal(code, TicketCode.Normalize(code.Replace('0', 'O').Replace('1', 'l')));
        }, iter: 10_000);
    }

    [Fact]
    public void Any_single_mistyped_character_is_caught()
    {
        Gen.Select(Gen.Int[0, TicketCode.Length - 1], Gen.Int[1, 31]).Sample((position, shift) =>
        {
            var code = TicketCode.New().ToCharArray();
            code[position] = TicketCode.Alphabet[(TicketCode.Alphabet.IndexOf(code[position]) + shift) % 32];
            Assert.Null(TicketCode.Normalize(new string(code)));
        }, iter: 100_000);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a code")]
    [InlineData("K7QM-2X9D-HT4P")]
    [InlineData("K7QM-2X9D-HT4P-W3RC-K7QM")]
    [InlineData("ÉÉÉÉ-ÉÉÉÉ-ÉÉÉÉ-ÉÉÉÉ")]
    [InlineData("UUUU-UUUU-UUUU-UUUU")]
    public void Malformed_codes_are_refused(string input) => Assert.Null(TicketCode.Normalize(input));

    [Fact]
    public void A_till_entry_mints_the_tickets_it_asks_for_crediting_its_place_and_day()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var tickets = Mint(campaign, 3);
        Assert.Equal(3, tickets.Count);
        Assert.All(tickets, t => Assert.Equal((7, TicketSource.Receipt, Now.AddHours(-1), (DateTimeOffset?)null), (t.EstablishmentId, t.Source, t.CollectedAt!.Value, t.UsedAt)));
        Assert.Equal(3, tickets.Select(t => t.Code).Distinct().Count());
    }

    [Theory]
    [InlineData(6, 5)]
    [InlineData(-1, 5)]
    [InlineData(101, 200)]
    public void Never_more_tickets_than_solidons_nor_than_the_ceiling(int tickets, int solidons)
    {
        var campaign = new CampaignBuilder().Open().Build();
        Assert.Equal("ticket.count", Assert.Throws<DomainException>(() => Mint(campaign, tickets, solidons)).Code);
    }

    [Fact]
    public void A_ticket_votes_once_then_moves_its_vote_until_close()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var ticket = Mint(campaign, 1)[0];
        var (vote, outcome, change) = campaign.CastVote(null, ticket, 1, Now);
        Assert.Equal(VoteOutcome.Counted, outcome);
        Assert.Equal((null, 7), (vote.ContributorId, vote.ViaEstablishmentId));
        Assert.Equal(1, change.Totals.VotesCast);
        Assert.Equal(Now, ticket.UsedAt);
        var (_, moved, movedChange) = campaign.CastVote(vote, ticket, 2, Now.AddMinutes(5));
        Assert.Equal(VoteOutcome.Moved, moved);
        Assert.Equal(0, movedChange.Totals.VotesCast);
        Assert.Equal(Now, ticket.UsedAt);
        campaign.Close(Now.AddDays(1));
        Assert.Equal("ticket.expired", Assert.Throws<DomainException>(() => campaign.CastVote(vote, ticket, 1, Now.AddDays(1))).Code);
    }

    [Fact]
    public void A_ticket_of_another_campaign_is_refused()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var other = new CampaignBuilder().Open().Build();
        typeof(Campaign).GetProperty(nameof(Campaign.Id))!.SetValue(other, 99);
        var ticket = Mint(other, 1)[0];
        Assert.Equal("ticket.other_campaign", Assert.Throws<DomainException>(() => campaign.CastVote(null, ticket, 1, Now)).Code);
        Assert.Null(ticket.UsedAt);
    }

    [Fact]
    public void A_campaign_chooses_who_votes()
    {
        var accountsOnly = new CampaignBuilder().WithVoters(VoterRule.Accounts).Open().Build();
        Assert.Equal("ticket.not_accepted", Assert.Throws<DomainException>(() => Mint(accountsOnly, 1)).Code);
        Assert.Equal("ticket.not_accepted", Assert.Throws<DomainException>(() => accountsOnly.PrintTickets(7, 8, 0, 0, Now)).Code);
        accountsOnly.CastVote(null, "ana", 1, null, Now);

        var ticketsOnly = new CampaignBuilder().WithVoters(VoterRule.Tickets).Open().Build();
        Assert.Equal("vote.tickets_only", Assert.Throws<DomainException>(() => ticketsOnly.CastVote(null, "ana", 1, null, Now)).Code);
        ticketsOnly.CastVote(null, Mint(ticketsOnly, 1)[0], 1, Now);
    }

    [Fact]
    public void A_printed_sheet_mints_cards_without_a_day_only_while_open()
    {
        var campaign = new CampaignBuilder().Open().Build();
        var change = campaign.PrintTickets(7, 8, 0, 0, Now);
        Assert.Equal(8, change.Tickets.Count);
        Assert.All(change.Tickets, t => Assert.Equal((TicketSource.Sheet, (DateTimeOffset?)null), (t.Source, t.CollectedAt)));
        Assert.Equal(new TicketsMinted(campaign.Id, 8), Assert.Single(change.Events));
        var draft = new CampaignBuilder().Build();
        Assert.Equal("ticket.campaign_not_open", Assert.Throws<DomainException>(() => draft.PrintTickets(7, 8, 0, 0, Now)).Code);
    }

    [Fact]
    public void A_place_prints_at_most_one_sheet_beyond_the_solidons_it_has_logged()
    {
        var campaign = new CampaignBuilder().Open().Build();
        Assert.Equal(100, campaign.PrintTickets(7, 100, 0, 0, Now).Tickets.Count);
        Assert.Equal("ticket.printed_ahead", Assert.Throws<DomainException>(() => campaign.PrintTickets(7, 1, 100, 0, Now)).Code);
        Assert.Equal(40, campaign.PrintTickets(7, 40, 100, 40, Now).Tickets.Count);
    }
}
