using System.Globalization;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Common;
using Portal.Domain.Community;
using Portal.Web.Components.Shared;
using Portal.Web.Features.Community;

namespace Portal.Web.Features.Gatherings;

/// <summary>
/// An event as its form holds it: the day and times as the browser's date and time inputs send them (2026-12-10,
/// 19:00), in Paris time, and the seats as typed. Each is read exactly or refused, never corrected.
/// </summary>
public sealed class EventInput
{
    public EventHost Host { get; set; }
    public int HostId { get; set; }
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string Day { get; set; } = "";
    public string Starts { get; set; } = "";
    public string Ends { get; set; } = "";
    public string? Place { get; set; }
    public string? OnlineUrl { get; set; }
    /// <summary>Empty: no limit.</summary>
    public string Capacity { get; set; } = "";

    internal static bool IsDay(string? text) => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    internal static bool IsTime(string? text) => TimeOnly.TryParseExact(text, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    internal static bool IsSeats(string? text) => string.IsNullOrEmpty(text)
        || (text.All(char.IsAsciiDigit) && text.Length <= 5 && int.Parse(text, CultureInfo.InvariantCulture) is >= 1 and <= EventDetails.MaxCapacity);

    /// <summary>The instants of a Paris wall-clock day and times (an event ending before it starts ends the next day).</summary>
    public EventDetails ToDetails()
    {
        var day = DateOnly.ParseExact(Day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (from, to) = (TimeOnly.ParseExact(Starts, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture), TimeOnly.ParseExact(Ends, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture));
        var starts = At(day.ToDateTime(from));
        var ends = At((to <= from ? day.AddDays(1) : day).ToDateTime(to));
        int? seats = string.IsNullOrEmpty(Capacity) ? null : int.Parse(Capacity, CultureInfo.InvariantCulture);
        return new EventDetails(Title, Description, starts, ends, Place, string.IsNullOrWhiteSpace(OnlineUrl) ? null : OnlineUrl.Trim(), seats);
    }

    private static DateTimeOffset At(DateTime local)
    {
        // A time the spring change skips does not exist in Paris: the hour after it is meant.
        if (Format.Paris.IsInvalidTime(local)) local = local.AddHours(1);
        return new DateTimeOffset(local, Format.Paris.GetUtcOffset(local)).ToUniversalTime();
    }
}

public sealed class EventInputValidator : AbstractValidator<EventInput>
{
    public EventInputValidator(IStringLocalizer<SharedResource> L)
    {
        RuleFor(x => x.Host).IsInEnum().WithMessage(_ => L["Val.HostUnknown"]);
        RuleFor(x => x.Title).NotEmpty().WithMessage(_ => L["Val.TitleRequired"]).MaximumLength(EventDetails.MaxTitle).WithMessage(_ => L["Val.TitleTooLong"]);
        RuleFor(x => x.Description).MaximumLength(EventDetails.MaxDescription).WithMessage(_ => L["Val.TextTooLong"]);
        RuleFor(x => x.Day).Must(EventInput.IsDay).WithMessage(_ => L["Val.EventDay"]);
        RuleFor(x => x.Starts).Must(EventInput.IsTime).WithMessage(_ => L["Val.EventTime"]);
        RuleFor(x => x.Ends).Must(EventInput.IsTime).WithMessage(_ => L["Val.EventTime"]);
        RuleFor(x => x.Place).MaximumLength(EventDetails.MaxPlace).WithMessage(_ => L["Val.TextTooLong"])
            .Must((x, place) => !string.IsNullOrWhiteSpace(place) || !string.IsNullOrWhiteSpace(x.OnlineUrl)).WithMessage(_ => L["Err.event.where"]);
        RuleFor(x => x.OnlineUrl).MaximumLength(EventDetails.MaxUrl).WithMessage(_ => L["Val.TextTooLong"])
            .Must(u => string.IsNullOrWhiteSpace(u) || (Uri.TryCreate(u.Trim(), UriKind.Absolute, out var link) && link.Scheme == Uri.UriSchemeHttps))
            .WithMessage(_ => L["Err.event.url"]);
        RuleFor(x => x.Capacity).Must(EventInput.IsSeats).WithMessage(_ => L["Err.event.capacity"]);
    }
}

/// <summary>
/// Events of a group (its managers host them) or of a project (its entrepreneur): create, register, cancel, call off,
/// and the reminders a day before. Two people taking the last seat at once meet on the event's version: the second
/// is decided again on what the first left.
/// </summary>
public sealed class EventService(
    IDbContextFactory<PortalDbContext> dbFactory,
    IValidator<EventInput> validator,
    NotificationCenter notifications,
    TimeProvider clock,
    ILogger<EventService> logger) : BackgroundService
{
    public const int EventsPerDay = 10;
    public const int RegistrationsPerMinute = 10;

    public async Task<CommunityEvent> CreateAsync(Actor actor, EventInput input, CancellationToken ct = default)
    {
        await validator.ValidateAndThrowAsync(input, ct);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var host = await RequireHostAsync(db, actor, input.Host, input.HostId, ct);
        if (await db.Events.IgnoreAutoIncludes().CountAsync(e => e.CreatedById == actor.UserId && e.CreatedAt > now.AddDays(-1), ct) >= EventsPerDay)
            throw new DomainException("event.rate", "Too many events created today: wait until tomorrow.");
        var created = new CommunityEvent(input.Host, input.HostId, input.ToDetails(), actor.UserId, now);
        db.Events.Add(created);
        await db.SaveChangesAsync(ct);
        var audience = input.Host == EventHost.Group
            ? await GroupService.AudienceAsync(db, input.HostId, isEvent: true, ct)
            : await db.Follows.Where(f => f.Kind == FollowKind.Project && f.TargetId == input.HostId).Select(f => f.UserId).ToListAsync(ct);
        await notifications.NotifyAsync([.. audience.Where(id => id != actor.UserId)], NotificationKind.GroupEvent, $"{created.Title} ({host})", $"evenements/{created.Id}", ct);
        return created;
    }

    public async Task<EventRegistration> RegisterAsync(Actor actor, int eventId, CancellationToken ct = default) =>
        (await OnEventAsync(eventId, async (db, e, now) =>
        {
            var since = now.AddMinutes(-1);
            if (await db.Set<EventRegistration>().CountAsync(r => r.UserId == actor.UserId && r.RegisteredAt > since, ct) >= RegistrationsPerMinute)
                throw new DomainException("event.rate_registrations", "Too many registrations in a minute: wait a little.");
            return ((EventRegistration?)e.Register(actor.UserId, now), (IReadOnlyList<string>)[]);
        }, ct))!;

    /// <summary>Cancels the actor's registration; a seat it frees goes to the first person waiting, who is told.</summary>
    public async Task CancelAsync(Actor actor, int eventId, CancellationToken ct = default)
    {
        await OnEventAsync(eventId, (db, e, now) =>
        {
            var promoted = e.Cancel(actor.UserId, now);
            return Task.FromResult((promoted, (IReadOnlyList<string>)(promoted is null ? [] : [promoted.UserId])));
        }, ct, NotificationKind.EventSeat);
    }

    /// <summary>The host calls the event off; everyone registered is told.</summary>
    public async Task CallOffAsync(Actor actor, int eventId, CancellationToken ct = default)
    {
        await OnEventAsync(eventId, async (db, e, now) =>
        {
            await RequireHostAsync(db, actor, e.Host, e.HostId, ct);
            return ((EventRegistration?)null, e.CallOff(now));
        }, ct, NotificationKind.EventCalledOff);
    }

    /// <summary>Reminds the confirmed registrants of every event starting within a day, once.</summary>
    public async Task<int> RemindAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var horizon = now.AddDays(1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.Events.IgnoreAutoIncludes().Where(e => e.RemindedAt == null && e.CancelledAt == null && e.StartsAt > now && e.StartsAt <= horizon)
            .Select(e => e.Id).ToListAsync(ct);
        foreach (var id in due)
            await OnEventAsync(id, (_, e, at) => Task.FromResult(((EventRegistration?)null, e.TakeReminder(at))), ct, NotificationKind.EventReminder);
        return due.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(15), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await RemindAsync(stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogError(e, "Event reminders failed"); }
        }
    }

    /// <summary>
    /// Loads the event with its registrations, lets <paramref name="decide"/> change it, saves; a concurrent change
    /// (the version moved) is decided again from the fresh state. Those the decision names are told after the commit.
    /// </summary>
    private async Task<T?> OnEventAsync<T>(int eventId, Func<PortalDbContext, CommunityEvent, DateTimeOffset, Task<(T?, IReadOnlyList<string>)>> decide,
        CancellationToken ct, NotificationKind? tell = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var e = await db.Events.SingleOrDefaultAsync(x => x.Id == eventId, ct) ?? throw new DomainException("event.unknown", "This event does not exist.");
            var (result, told) = await decide(db, e, clock.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                continue; // another registration moved the event (or the same person clicked twice): decide again
            }
            if (tell is { } kind && told.Count > 0) await notifications.NotifyAsync(told, kind, e.Title, $"evenements/{e.Id}", ct);
            return result;
        }
    }

    /// <summary>The host's name, once the actor is shown to host for it: the group's managers, the project's entrepreneur, or staff.</summary>
    private static async Task<string> RequireHostAsync(PortalDbContext db, Actor actor, EventHost host, int hostId, CancellationToken ct)
    {
        if (host == EventHost.Group)
        {
            await GroupService.RequireManagerAsync(db, actor, hostId, ct);
            return await db.Groups.Where(g => g.Id == hostId).Select(g => g.Name).SingleAsync(ct);
        }
        var project = await db.Projects.Where(p => p.Id == hostId).Select(p => p.Name).SingleOrDefaultAsync(ct)
            ?? throw new DomainException("project.unknown", "This project does not exist.");
        if (!actor.IsAdmin && !(actor.Roles.Contains(Roles.Entrepreneur) && actor.ProjectId == hostId))
            throw new ForbiddenException("Only the project's entrepreneur hosts its events.");
        return project;
    }
}
