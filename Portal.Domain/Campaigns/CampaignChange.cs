using Portal.Domain.Common;

namespace Portal.Domain.Campaigns;

/// <summary>
/// What one decision on a campaign changed, for the data layer's writer to apply: the rows to append, how far the
/// running totals move, the events to publish once committed. The campaign itself moves no counter: its totals are
/// what the database holds, and only the writer adds to them.
/// </summary>
public sealed class CampaignChange
{
    private readonly List<DonationEntry> _entries = [];
    private readonly List<Remittance> _remittances = [];
    private readonly List<Vote> _newVotes = [];
    private readonly List<VoteTicket> _tickets = [];
    private readonly List<ICampaignEvent> _events = [];

    public CampaignChange(int campaignId) => CampaignId = campaignId;

    public int CampaignId { get; }
    public IReadOnlyList<DonationEntry> Entries => _entries;
    public IReadOnlyList<Remittance> Remittances => _remittances;
    /// <summary>First votes, to insert. A moved vote is an edit of the vote the caller loaded, saved with it.</summary>
    public IReadOnlyList<Vote> NewVotes => _newVotes;
    /// <summary>Vote tickets minted, with a till's entry or for a printed sheet.</summary>
    public IReadOnlyList<VoteTicket> Tickets => _tickets;
    public TotalsDelta Totals { get; } = new();
    public IReadOnlyList<ICampaignEvent> Events => _events;

    /// <summary>Nothing to write: a vote cast again for the same project.</summary>
    public bool IsEmpty => _events.Count == 0;

    internal CampaignChange Logged(DonationEntry entry)
    {
        _entries.Add(entry);
        Totals.Add(entry);
        _events.Add(new DonationLogged(CampaignId, entry.EstablishmentId, entry.Amount, entry.Solidons));
        return this;
    }

    internal CampaignChange Minted(IReadOnlyList<VoteTicket> tickets)
    {
        _tickets.AddRange(tickets);
        _events.Add(new TicketsMinted(CampaignId, tickets.Count));
        return this;
    }

    internal CampaignChange Remitted(Remittance remittance)
    {
        _remittances.Add(remittance);
        Totals.Add(remittance);
        _events.Add(new RemittanceRecorded(CampaignId, remittance.EstablishmentId, remittance.Amount));
        return this;
    }

    internal CampaignChange Counted(Vote vote)
    {
        _newVotes.Add(vote);
        Totals.Count(vote.ProjectId, withTicket: vote.TicketId is not null);
        _events.Add(new VoteCast(CampaignId, vote.ProjectId, null));
        return this;
    }

    internal CampaignChange Moved(int fromProjectId, int toProjectId)
    {
        Totals.Move(fromProjectId, toProjectId);
        _events.Add(new VoteCast(CampaignId, toProjectId, fromProjectId));
        return this;
    }

    internal CampaignChange StatusChanged(CampaignStatus status)
    {
        _events.Add(new CampaignStatusChanged(CampaignId, status));
        return this;
    }

    internal CampaignChange Edited()
    {
        _events.Add(new CampaignEdited(CampaignId));
        return this;
    }

    /// <summary>Adds <paramref name="other"/> (same campaign) to this one: the changes of one batch, applied together.</summary>
    public void Merge(CampaignChange other)
    {
        if (other.CampaignId != CampaignId)
            throw new ArgumentException("Only changes of one campaign merge.", nameof(other));
        _entries.AddRange(other._entries);
        _remittances.AddRange(other._remittances);
        _newVotes.AddRange(other._newVotes);
        _tickets.AddRange(other._tickets);
        Totals.Add(other.Totals);
        _events.AddRange(other._events);
    }
}

/// <summary>
/// How far a change moves the running totals of its campaign, of each establishment and of each candidate. Each total
/// is defined here, once, by the rows that move it.
/// </summary>
public sealed class TotalsDelta
{
    private readonly Dictionary<int, PlaceDelta> _places = [];
    private readonly Dictionary<int, int> _votesByProject = [];

    public long CollectedCents { get; private set; }
    public long Solidons { get; private set; }
    /// <summary>Ledger lines, corrections included.</summary>
    public int Entries { get; private set; }
    /// <summary>Counted votes: a first vote adds one, a moved vote none.</summary>
    public int VotesCast { get; private set; }
    /// <summary>Of those, the votes cast with a ticket.</summary>
    public int TicketVotesCast { get; private set; }
    /// <summary>By establishment.</summary>
    public IReadOnlyDictionary<int, PlaceDelta> Places => _places;
    /// <summary>By candidate project; a moved vote takes one from a project and gives it to another.</summary>
    public IReadOnlyDictionary<int, int> VotesByProject => _votesByProject;

    internal void Add(DonationEntry entry)
    {
        CollectedCents += entry.AmountCents;
        Solidons += entry.Solidons;
        Entries++;
        AddToPlace(entry.EstablishmentId, new PlaceDelta(entry.AmountCents, entry.Solidons, entry.Bills ?? 0,
            SolidonsOnCountedBills: entry.Bills is null ? 0 : entry.Solidons, Entries: 1, RemittedCents: 0));
    }

    internal void Add(Remittance remittance) => AddToPlace(remittance.EstablishmentId, new PlaceDelta(RemittedCents: remittance.AmountCents));

    internal void Count(int projectId, bool withTicket)
    {
        VotesCast++;
        if (withTicket) TicketVotesCast++;
        AddVotes(projectId, 1);
    }

    internal void Move(int fromProjectId, int toProjectId)
    {
        AddVotes(fromProjectId, -1);
        AddVotes(toProjectId, 1);
    }

    /// <summary>Adds <paramref name="other"/>'s figures to these: the changes of one batch, moved together.</summary>
    public void Add(TotalsDelta other)
    {
        (CollectedCents, Solidons, Entries, VotesCast, TicketVotesCast) = (CollectedCents + other.CollectedCents, Solidons + other.Solidons,
            Entries + other.Entries, VotesCast + other.VotesCast, TicketVotesCast + other.TicketVotesCast);
        foreach (var (place, delta) in other._places) AddToPlace(place, delta);
        foreach (var (project, votes) in other._votesByProject) AddVotes(project, votes);
    }

    private void AddToPlace(int establishmentId, PlaceDelta delta) =>
        _places[establishmentId] = _places.GetValueOrDefault(establishmentId) + delta;

    private void AddVotes(int projectId, int votes)
    {
        var total = _votesByProject.GetValueOrDefault(projectId) + votes;
        if (total == 0) _votesByProject.Remove(projectId);
        else _votesByProject[projectId] = total;
    }
}

/// <summary>How far a change moves one establishment's running totals in one campaign.</summary>
public readonly record struct PlaceDelta(long CollectedCents = 0, long Solidons = 0, long Bills = 0, long SolidonsOnCountedBills = 0,
    int Entries = 0, long RemittedCents = 0)
{
    public static PlaceDelta operator +(PlaceDelta a, PlaceDelta b) => new(a.CollectedCents + b.CollectedCents, a.Solidons + b.Solidons,
        a.Bills + b.Bills, a.SolidonsOnCountedBills + b.SolidonsOnCountedBills, a.Entries + b.Entries, a.RemittedCents + b.RemittedCents);
}

/// <summary>Something a campaign's dashboards show has changed: its live snapshot is read again.</summary>
public interface ICampaignEvent : IDomainEvent
{
    int CampaignId { get; }
}

public sealed record DonationLogged(int CampaignId, int EstablishmentId, Money Amount, int Solidons) : ICampaignEvent;
public sealed record VoteCast(int CampaignId, int ProjectId, int? PreviousProjectId) : ICampaignEvent;
public sealed record CampaignStatusChanged(int CampaignId, CampaignStatus Status) : ICampaignEvent;
public sealed record RemittanceRecorded(int CampaignId, int EstablishmentId, Money Amount) : ICampaignEvent;
public sealed record CampaignEdited(int CampaignId) : ICampaignEvent;
public sealed record TicketsMinted(int CampaignId, int Count) : ICampaignEvent;
