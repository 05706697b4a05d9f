using Portal.Domain.Common;
using Portal.Domain.Networks;

namespace Portal.Domain.Campaigns;

/// <summary>
/// An event collection in one network: solidons are logged while it is open, contributors vote for candidate
/// projects, and at close the pot is allocated by the campaign's rule. Draft -> Open -> Closed -> Allocated -> Disbursed.
/// Each decision returns a <see cref="CampaignChange"/> (rows, totals delta, events) that the data layer's writer applies:
/// the running totals (collected, solidons, votes) are the database's, so a live snapshot never sums the ledger.
/// </summary>
public sealed partial class Campaign : AggregateRoot
{
    public static readonly Money DefaultEntryCeiling = Money.FromEuros(2_000m);

    /// <summary>The range an entry's average solidon must fall in unless the campaign sets its own: a till that sends
    /// 0,01 € for 100 000 solidons, or 500 € for one, has a bug, and its numbers must not reach the pot.</summary>
    public static readonly Money DefaultSolidonMinimum = Money.FromEuros(0.10m);
    public static readonly Money DefaultSolidonMaximum = Money.FromEuros(20m);

    /// <summary>More solidons, or bills, in one entry than any till logs in a day: the end-of-day batch of a busy
    /// restaurant is a few hundred. Bounded so that no entry can distort the totals.</summary>
    public const int MaxSolidonsPerEntry = 10_000;
    public const int MaxBillsPerEntry = 100_000;

    private readonly List<CampaignCandidate> _candidates = [];

    private Campaign() { }

    public static Campaign Draft(string name, int networkId, Sector sector, DateTimeOffset startsAt,
        DateTimeOffset endsAt, Money target, IReadOnlyList<(int ProjectId, Money Requested)> projects,
        AllocationRule rule = AllocationRule.WinnerTakesAll, bool liveVotes = true, Money? entryCeiling = null,
        Money? solidonMinimum = null, Money? solidonMaximum = null, VoterRule voters = VoterRule.AccountsAndTickets)
    {
        var minimum = solidonMinimum ?? DefaultSolidonMinimum;
        var maximum = solidonMaximum ?? DefaultSolidonMaximum;
        CheckTerms(startsAt, endsAt, target, minimum, maximum);
        if (projects.Select(p => p.ProjectId).Distinct().Count() != projects.Count)
            throw new DomainException("campaign.duplicate_project", "A project is listed twice.");
        var campaign = new Campaign
        {
            Name = Guard.Text(name, "name", 120),
            NetworkId = networkId,
            Sector = sector,
            StartsAt = startsAt,
            EndsAt = endsAt,
            Target = target,
            Rule = rule,
            LiveVotes = liveVotes,
            EntryCeiling = entryCeiling ?? DefaultEntryCeiling,
            SolidonMinimum = minimum,
            SolidonMaximum = maximum,
            Voters = Enum.IsDefined(voters) ? voters : throw new DomainException("campaign.voters", "Unknown voter rule."),
        };
        campaign.Slug = Common.Slug.From(campaign.Name);
        for (var i = 0; i < projects.Count; i++)
            campaign._candidates.Add(new CampaignCandidate(projects[i].ProjectId, i, projects[i].Requested));
        return campaign;
    }

    /// <summary>
    /// Corrects a draft's name, period, target and solidon range. Once open they are what tills, contributors and the
    /// ledger's rules rely on, so only a draft changes; its slug, network and candidates stay as created.
    /// </summary>
    public CampaignChange EditDraft(string name, DateTimeOffset startsAt, DateTimeOffset endsAt, Money target, Money solidonMinimum, Money solidonMaximum,
        AllocationRule rule, bool liveVotes, VoterRule voters = VoterRule.AccountsAndTickets)
    {
        if (Status != CampaignStatus.Draft)
            throw new DomainException("campaign.not_draft", "Only a draft campaign can be edited.");
        CheckTerms(startsAt, endsAt, target, solidonMinimum, solidonMaximum);
        Name = Guard.Text(name, "name", 120);
        if (!Enum.IsDefined(rule)) throw new DomainException("campaign.rule", "Unknown allocation rule.");
        if (!Enum.IsDefined(voters)) throw new DomainException("campaign.voters", "Unknown voter rule.");
        Voters = voters;
        (StartsAt, EndsAt, Target, SolidonMinimum, SolidonMaximum, Rule, LiveVotes) = (startsAt, endsAt, target, solidonMinimum, solidonMaximum, rule, liveVotes);
        return new CampaignChange(Id).Edited();
    }

    private static void CheckTerms(DateTimeOffset startsAt, DateTimeOffset endsAt, Money target, Money minimum, Money maximum)
    {
        if (endsAt <= startsAt)
            throw new DomainException("campaign.period", "The campaign must end after it starts.");
        if (!target.IsPositive)
            throw new DomainException("campaign.target", "The target must be a positive amount.");
        if (!minimum.IsPositive || maximum < minimum)
            throw new DomainException("campaign.solidon_range", "The range of a solidon's amount must be positive, its maximum at least its minimum.");
    }

    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Slug { get; private set; } = "";
    public int NetworkId { get; private set; }
    public Sector Sector { get; private set; }
    public DateTimeOffset StartsAt { get; private set; }
    public DateTimeOffset EndsAt { get; private set; }
    public Money Target { get; private set; }
    public CampaignStatus Status { get; private set; }
    public AllocationRule Rule { get; private set; }
    /// <summary>Whether vote counts are public while voting, or hidden until close.</summary>
    public bool LiveVotes { get; private set; }
    /// <summary>Who votes: people with an account, holders of a ticket handed with a bill, or both (the default).</summary>
    public VoterRule Voters { get; private set; }
    public bool AcceptsTickets => Voters != VoterRule.Accounts;
    public bool AcceptsAccounts => Voters != VoterRule.Tickets;
    public Money EntryCeiling { get; private set; }
    /// <summary>An entry's amount divided by its solidons must fall in this range (see <see cref="DefaultSolidonMinimum"/>).</summary>
    public Money SolidonMinimum { get; private set; }
    public Money SolidonMaximum { get; private set; }
    public DateTimeOffset? OpenedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public DateTimeOffset? AllocatedAt { get; private set; }
    public DateTimeOffset? DisbursedAt { get; private set; }
    public Money Unallocated { get; private set; }

    // Running totals, as the database holds them: the writer adds each change's delta to them in the change's own
    // transaction, by set-based increments, so concurrent merchants never conflict on the campaign row.
    public long CollectedCents { get; internal set; }
    public Money Collected => new(CollectedCents);
    public long Solidons { get; internal set; }
    public int Entries { get; internal set; }
    public int VotesCast { get; internal set; }
    /// <summary>Of <see cref="VotesCast"/>, those cast with a ticket rather than an account.</summary>
    public int TicketVotesCast { get; internal set; }
    /// <summary>
    /// Bumped by the writer with every change a dashboard shows: the version of live snapshots, monotonic across
    /// nodes because the database holds it. The domain never sets it, so a stale copy can never write it back.
    /// </summary>
    public long Sequence { get; private set; }

    public IReadOnlyList<CampaignCandidate> Candidates => _candidates;

    public bool VotesVisible => LiveVotes || Status >= CampaignStatus.Closed;

    public CampaignChange Open(DateTimeOffset now)
    {
        Require(CampaignStatus.Draft, "open");
        if (_candidates.Count < 2)
            throw new DomainException("campaign.candidates", "A campaign needs at least two candidate projects.");
        Status = CampaignStatus.Open;
        OpenedAt = now;
        return StatusChanged();
    }

    public CampaignChange Close(DateTimeOffset now)
    {
        Require(CampaignStatus.Open, "close");
        Status = CampaignStatus.Closed;
        ClosedAt = now;
        return StatusChanged();
    }

    /// <summary>What the rule would give each project now: shown to staff before they allocate.</summary>
    public AllocationResult PreviewAllocation() =>
        Allocator.Split(Rule, Collected, _candidates.Select(c => new CandidateTally(c.ProjectId, c.Position, c.Votes, c.Requested)).ToList());

    /// <summary>Gives each candidate its share by the campaign's rule (<see cref="PreviewAllocation"/>); the ledger freezes.</summary>
    public CampaignChange Allocate(DateTimeOffset now)
    {
        Require(CampaignStatus.Closed, "allocate");
        var result = PreviewAllocation();
        foreach (var candidate in _candidates) candidate.Allocated = result.ByProject[candidate.ProjectId];
        Unallocated = result.Unallocated;
        Status = CampaignStatus.Allocated;
        AllocatedAt = now;
        return StatusChanged();
    }

    public CampaignChange MarkDisbursed(DateTimeOffset now)
    {
        Require(CampaignStatus.Allocated, "disburse");
        Status = CampaignStatus.Disbursed;
        DisbursedAt = now;
        return StatusChanged();
    }

    /// <summary>At most this many tickets with one entry, or on one printed sheet run: a till asks one per bill.</summary>
    public const int MaxTicketsPerEntry = 100;

    /// <summary>
    /// Logs what a place collected; with <paramref name="tickets"/>, mints that many vote tickets with it (one per bill
    /// that carried a solidon, so never more than the entry's solidons).
    /// </summary>
    public CampaignChange LogDonation(int establishmentId, Money amount, int solidons, int? bills,
        DateTimeOffset collectedAt, string loggedBy, DateTimeOffset now, EntrySource source = EntrySource.Till, int tickets = 0)
    {
        if (tickets != 0) CheckTickets(tickets, solidons);
        if (Status != CampaignStatus.Open)
            throw new DomainException("donation.campaign_not_open", "Solidons can only be logged while the campaign is open.");
        if (!amount.IsPositive)
            throw new DomainException("donation.amount_positive", "The amount must be more than zero.", "amount");
        if (amount > EntryCeiling)
            throw new DomainException("donation.amount_ceiling", $"One entry cannot exceed {EntryCeiling}.", "amount");
        if (solidons is < 1 or > MaxSolidonsPerEntry)
            throw new DomainException("donation.solidons_range", $"The number of solidons must be between 1 and {MaxSolidonsPerEntry:N0}.", "solidons");
        if (bills is not null && bills < solidons)
            throw new DomainException("donation.bills_below_solidons", "There cannot be fewer bills than solidons.", "bills");
        if (bills > MaxBillsPerEntry)
            throw new DomainException("donation.bills_range", $"One entry cannot count more than {MaxBillsPerEntry:N0} bills.", "bills");
        if (amount.Cents < SolidonMinimum.Cents * solidons || amount.Cents > SolidonMaximum.Cents * solidons)
            throw new DomainException("donation.solidon_average",
                $"{amount} for {solidons} solidons is outside this campaign's range of {SolidonMinimum} to {SolidonMaximum} per solidon.", "amount");
        if (collectedAt < StartsAt || collectedAt > EndsAt)
            throw new DomainException("donation.outside_period", "The collection date is outside the campaign's period.", "collectedAt");
        if (collectedAt > now.AddMinutes(5))
            throw new DomainException("donation.future", "The collection date is in the future.", "collectedAt");

        var change = new CampaignChange(Id).Logged(new DonationEntry(Id, establishmentId, amount, solidons, bills, collectedAt, now, loggedBy, source));
        return tickets == 0 ? change
            : change.Minted([.. Enumerable.Range(0, tickets).Select(_ => new VoteTicket(Id, establishmentId, TicketSource.Receipt, collectedAt, now))]);
    }

    /// <summary>A correction: a new entry that cancels <paramref name="original"/>. Allowed until the pot is allocated.</summary>
    public CampaignChange Reverse(DonationEntry original, bool alreadyReversed, string reason, string by, DateTimeOffset now)
    {
        if (Status is not (CampaignStatus.Open or CampaignStatus.Closed))
            throw new DomainException("donation.frozen", "The pot is allocated: the ledger is frozen.");
        if (original.CampaignId != Id)
            throw new DomainException("donation.other_campaign", "This entry belongs to another campaign.");
        if (original.IsReversal)
            throw new DomainException("donation.reverse_reversal", "A correction cannot itself be reversed; log a new entry instead.");
        if (alreadyReversed)
            throw new DomainException("donation.already_reversed", "This entry has already been reversed.");
        var why = Guard.Text(reason, "reason", 300);
        return new CampaignChange(Id).Logged(new DonationEntry(Id, original.EstablishmentId, -original.Amount, -original.Solidons,
            -original.Bills, original.CollectedAt, now, by, EntrySource.Correction, original.Id, why));
    }

    public CampaignChange RecordRemittance(int establishmentId, Money amount, Money outstanding, DateOnly remittedOn,
        string reference, string by, DateTimeOffset now)
    {
        if (Status == CampaignStatus.Draft)
            throw new DomainException("remittance.draft", "Nothing can be remitted for a campaign that has not opened.");
        if (!amount.IsPositive)
            throw new DomainException("remittance.amount_positive", "The amount must be more than zero.");
        if (amount > outstanding)
            throw new DomainException("remittance.above_outstanding", $"The amount exceeds what the establishment still holds ({outstanding}).");
        if (DateOnly.FromDateTime(now.UtcDateTime) < remittedOn)
            throw new DomainException("remittance.future", "The remittance date is in the future.");
        return new CampaignChange(Id).Remitted(new Remittance(Id, establishmentId, amount, remittedOn, Guard.Text(reference, "reference", 100), by, now));
    }

    /// <summary>
    /// Counts <paramref name="contributorId"/>'s vote: a first vote is counted, a new choice moves it, the same choice
    /// again changes nothing (so a retried click never counts twice).
    /// </summary>
    public (Vote Vote, VoteOutcome Outcome, CampaignChange Change) CastVote(Vote? current, string contributorId, int projectId,
        int? viaEstablishmentId, DateTimeOffset now)
    {
        if (Status != CampaignStatus.Open)
            throw new DomainException("vote.campaign_not_open", "Voting is closed for this campaign.");
        var candidate = _candidates.SingleOrDefault(c => c.ProjectId == projectId)
            ?? throw new DomainException("vote.not_candidate", "This project is not a candidate in this campaign.");
        if (current is not null && (current.CampaignId != Id || current.ContributorId != contributorId))
            throw new DomainException("vote.not_yours", "This vote belongs to someone else.");
        if (!AcceptsAccounts)
            throw new DomainException("vote.tickets_only", "In this campaign, votes are cast with the ticket handed with the bill.");
        return Decide(current, () => new Vote(Id, contributorId, null, candidate.ProjectId, viaEstablishmentId, now), projectId, now);
    }

    private (Vote Vote, VoteOutcome Outcome, CampaignChange Change) Decide(Vote? current, Func<Vote> first, int projectId, DateTimeOffset now)
    {
        if (current is null)
        {
            var vote = first();
            return (vote, VoteOutcome.Counted, new CampaignChange(Id).Counted(vote));
        }
        if (current.ProjectId == projectId) return (current, VoteOutcome.Unchanged, new CampaignChange(Id));

        var change = new CampaignChange(Id).Moved(current.ProjectId, projectId);
        current.MoveTo(projectId, now);
        return (current, VoteOutcome.Moved, change);
    }

    private CampaignChange StatusChanged() => new CampaignChange(Id).StatusChanged(Status);

    private void Require(CampaignStatus expected, string action)
    {
        if (Status != expected)
            throw new DomainException("campaign.transition", $"Cannot {action} a campaign that is {Status}.");
    }
}
