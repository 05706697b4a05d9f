using Portal.Domain.Common;

namespace Portal.Domain.Community;

/// <summary>Who hosts an event: a group (its managers) or a project (its entrepreneur).</summary>
public enum EventHost { Group, Project }

public enum RegistrationStatus { Confirmed, Waiting, Cancelled }

/// <summary>What to put on an event, checked by the domain whoever calls it.</summary>
public sealed record EventDetails(string Title, string Description, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Place, string? OnlineUrl, int? Capacity)
{
    public const int MaxTitle = 150;
    public const int MaxDescription = 5_000;
    public const int MaxPlace = 200;
    public const int MaxUrl = 500;
    public const int MaxCapacity = 10_000;
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(7);
}

/// <summary>
/// A launch evening, an open day, a skills workshop. Registrations are part of the event, so that the seats are
/// counted where they are decided: a registration takes a seat while there is one and joins the waiting list
/// otherwise; a cancellation gives its seat to the first person waiting. Every change bumps the event's version, so
/// two people taking the last seat at once cannot both get it.
/// </summary>
public sealed class CommunityEvent : AggregateRoot
{
    private readonly List<EventRegistration> _registrations = [];

    private CommunityEvent() { }

    public CommunityEvent(EventHost host, int hostId, EventDetails details, string createdById, DateTimeOffset now)
    {
        Host = host;
        HostId = hostId;
        CreatedById = createdById;
        CreatedAt = now;
        if (details.StartsAt <= now) throw new DomainException("event.in_past", "An event starts in the future.", "startsAt");
        Apply(details);
    }

    public int Id { get; private set; }
    public EventHost Host { get; private set; }
    public int HostId { get; private set; }
    public string Title { get; private set; } = "";
    public string Description { get; private set; } = "";
    public DateTimeOffset StartsAt { get; private set; }
    public DateTimeOffset EndsAt { get; private set; }
    public string? Place { get; private set; }
    public string? OnlineUrl { get; private set; }
    /// <summary>Seats; none means no limit.</summary>
    public int? Capacity { get; private set; }
    public int ConfirmedCount { get; private set; }
    public string CreatedById { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public DateTimeOffset? RemindedAt { get; private set; }
    /// <summary>The iCalendar SEQUENCE: raised when what a calendar shows changes (details, cancellation).</summary>
    public int Revision { get; private set; }

    public IReadOnlyList<EventRegistration> Registrations => _registrations;

    public bool IsCancelled => CancelledAt is not null;
    public bool IsFull => Capacity is { } seats && ConfirmedCount >= seats;

    public void Edit(EventDetails details, DateTimeOffset now)
    {
        RequireOpen(now);
        if (details.StartsAt <= now) throw new DomainException("event.in_past", "An event starts in the future.", "startsAt");
        if (details.Capacity is { } seats && seats < ConfirmedCount)
            throw new DomainException("event.capacity_below_confirmed", $"{ConfirmedCount} people already have a seat.", "capacity");
        Apply(details);
        Revision++;
        PromoteWaiting();
    }

    /// <summary>Takes a seat, or a place on the waiting list; asking again changes nothing.</summary>
    public EventRegistration Register(string userId, DateTimeOffset now)
    {
        RequireOpen(now);
        var registration = _registrations.SingleOrDefault(r => r.UserId == userId);
        if (registration is { IsActive: true }) return registration;
        var status = IsFull ? RegistrationStatus.Waiting : RegistrationStatus.Confirmed;
        if (registration is null)
        {
            registration = new EventRegistration(userId, status, now);
            _registrations.Add(registration);
        }
        else registration.Reopen(status, now);
        if (status == RegistrationStatus.Confirmed) ConfirmedCount++;
        return registration;
    }

    /// <summary>Gives up a seat (or a place in line); returns whoever got the seat freed, if anyone.</summary>
    public EventRegistration? Cancel(string userId, DateTimeOffset now)
    {
        RequireOpen(now);
        var registration = _registrations.SingleOrDefault(r => r.UserId == userId && r.IsActive)
            ?? throw new DomainException("event.not_registered", "You are not registered for this event.");
        var hadSeat = registration.Status == RegistrationStatus.Confirmed;
        registration.Cancel(now);
        if (!hadSeat) return null;
        ConfirmedCount--;
        return PromoteWaiting().FirstOrDefault();
    }

    /// <summary>The host calls the event off: every registration stays, for the record, and calendars show it cancelled.</summary>
    public IReadOnlyList<string> CallOff(DateTimeOffset now)
    {
        RequireOpen(now);
        CancelledAt = now;
        Revision++;
        return [.. _registrations.Where(r => r.IsActive).Select(r => r.UserId)];
    }

    /// <summary>1 for the first person waiting; null when not waiting.</summary>
    public int? WaitingPosition(string userId)
    {
        var line = _registrations.Where(r => r.Status == RegistrationStatus.Waiting).OrderBy(r => r.RegisteredAt).ThenBy(r => r.Id).ToList();
        var index = line.FindIndex(r => r.UserId == userId);
        return index < 0 ? null : index + 1;
    }

    /// <summary>The reminder is due a day before the start; once sent, never again. Returns who to remind.</summary>
    public IReadOnlyList<string> TakeReminder(DateTimeOffset now)
    {
        if (IsCancelled || RemindedAt is not null || now >= StartsAt || StartsAt - now > TimeSpan.FromDays(1)) return [];
        RemindedAt = now;
        return [.. _registrations.Where(r => r.Status == RegistrationStatus.Confirmed).Select(r => r.UserId)];
    }

    private List<EventRegistration> PromoteWaiting()
    {
        var promoted = new List<EventRegistration>();
        foreach (var next in _registrations.Where(r => r.Status == RegistrationStatus.Waiting).OrderBy(r => r.RegisteredAt).ThenBy(r => r.Id).ToList())
        {
            if (IsFull) break;
            next.Promote();
            ConfirmedCount++;
            promoted.Add(next);
        }
        return promoted;
    }

    private void RequireOpen(DateTimeOffset now)
    {
        if (IsCancelled) throw new DomainException("event.cancelled", "This event was cancelled.");
        if (now >= StartsAt) throw new DomainException("event.started", "This event has started: registrations are closed.");
    }

    private void Apply(EventDetails d)
    {
        var title = Guard.Text(d.Title, "title", EventDetails.MaxTitle);
        var description = string.IsNullOrWhiteSpace(d.Description) ? "" : Guard.Text(d.Description, "body", EventDetails.MaxDescription);
        var place = string.IsNullOrWhiteSpace(d.Place) ? null : Guard.Text(d.Place, "place", EventDetails.MaxPlace);
        var url = string.IsNullOrWhiteSpace(d.OnlineUrl) ? null : Guard.Text(d.OnlineUrl, "url", EventDetails.MaxUrl);
        if (place is null && url is null) throw new DomainException("event.where", "Say where the event takes place, or its online link.", "place");
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var link) && link.Scheme == Uri.UriSchemeHttps))
            throw new DomainException("event.url", "The online link is an https:// address.", "onlineUrl");
        if (d.EndsAt <= d.StartsAt) throw new DomainException("event.ends_before", "An event ends after it starts.", "endsAt");
        if (d.EndsAt - d.StartsAt > EventDetails.MaxLength) throw new DomainException("event.too_long", "An event lasts at most seven days.", "endsAt");
        if (d.Capacity is < 1 or > EventDetails.MaxCapacity)
            throw new DomainException("event.capacity", $"Seats: from 1 to {EventDetails.MaxCapacity}, or none for no limit.", "capacity");
        (Title, Description, StartsAt, EndsAt, Place, OnlineUrl, Capacity) = (title, description, d.StartsAt, d.EndsAt, place, url, d.Capacity);
    }
}

public sealed class EventRegistration
{
    private EventRegistration() { }

    internal EventRegistration(string userId, RegistrationStatus status, DateTimeOffset now)
    {
        UserId = userId;
        Status = status;
        RegisteredAt = now;
    }

    public long Id { get; private set; }
    public int EventId { get; private set; }
    public string UserId { get; private set; } = "";
    public RegistrationStatus Status { get; private set; }
    /// <summary>The place in the waiting list: a person who cancels and comes back goes to its end.</summary>
    public DateTimeOffset RegisteredAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }

    public bool IsActive => Status != RegistrationStatus.Cancelled;

    internal void Promote() => Status = RegistrationStatus.Confirmed;

    internal void Cancel(DateTimeOffset now)
    {
        Status = RegistrationStatus.Cancelled;
        CancelledAt = now;
    }

    internal void Reopen(RegistrationStatus status, DateTimeOffset now)
    {
        Status = status;
        RegisteredAt = now;
        CancelledAt = null;
    }
}
