using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Community;

namespace Portal.Web.Features.Gatherings;

/// <summary>
/// iCalendar (RFC 5545) files: one per event, and feeds a calendar app subscribes to, per group, per project and per
/// person. A person's feed is reached by a link only they are given (calendar apps cannot sign in): the account's id,
/// protected by the portal's Data Protection keys, so it holds on every node and cannot be forged.
/// </summary>
public sealed class Calendars(IDbContextFactory<PortalDbContext> dbFactory, IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly IDataProtector _feeds = protection.CreateProtector("Solidons.CalendarFeed.v1");

    /// <summary>Feeds show what is coming and what just happened (a month back).</summary>
    private static readonly TimeSpan Past = TimeSpan.FromDays(30);

    public string PersonalToken(string userId) => WebEncoders.Base64UrlEncode(_feeds.Protect(System.Text.Encoding.UTF8.GetBytes(userId)));

    public string? UserOf(string token)
    {
        try { return System.Text.Encoding.UTF8.GetString(_feeds.Unprotect(WebEncoders.Base64UrlDecode(token))); }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException) { return null; }
    }

    public async Task<string?> EventAsync(int eventId, Uri site, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var e = await db.Events.IgnoreAutoIncludes().AsNoTracking().SingleOrDefaultAsync(x => x.Id == eventId, ct);
        return e is null ? null : Write(e.Title, [e], site, status: null);
    }

    public async Task<string?> GroupAsync(string slug, Uri site, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var group = await db.Groups.AsNoTracking().Where(g => g.Slug == slug).Select(g => new { g.Id, g.Name }).SingleOrDefaultAsync(ct);
        if (group is null) return null;
        return Write(group.Name, await HostedAsync(db, EventHost.Group, group.Id, ct), site, status: null);
    }

    public async Task<string?> ProjectAsync(string slug, Uri site, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await db.Projects.AsNoTracking().Where(p => p.Slug == slug).Select(p => new { p.Id, p.Name }).SingleOrDefaultAsync(ct);
        if (project is null) return null;
        return Write(project.Name, await HostedAsync(db, EventHost.Project, project.Id, ct), site, status: null);
    }

    /// <summary>The events a person registered for: a seat is confirmed, a place on the waiting list tentative.</summary>
    public async Task<string?> PersonAsync(string token, Uri site, CancellationToken ct)
    {
        if (UserOf(token) is not { } userId) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct)) return null;
        var since = clock.GetUtcNow() - Past;
        var rows = await db.Set<EventRegistration>().AsNoTracking().Where(r => r.UserId == userId && r.Status != RegistrationStatus.Cancelled)
            .Join(db.Events.IgnoreAutoIncludes().Where(e => e.EndsAt > since), r => r.EventId, e => e.Id, (r, e) => new { e, r.Status })
            .OrderBy(x => x.e.StartsAt).Take(500).ToListAsync(ct);
        var waiting = rows.Where(r => r.Status == RegistrationStatus.Waiting).Select(r => r.e.Id).ToHashSet();
        return Write("Solidons", [.. rows.Select(r => r.e)], site, status: e => waiting.Contains(e.Id) ? "TENTATIVE" : null);
    }

    private async Task<List<CommunityEvent>> HostedAsync(PortalDbContext db, EventHost host, int hostId, CancellationToken ct)
    {
        var since = clock.GetUtcNow() - Past;
        return await db.Events.IgnoreAutoIncludes().AsNoTracking().Where(e => e.Host == host && e.HostId == hostId && e.EndsAt > since)
            .OrderBy(e => e.StartsAt).Take(500).ToListAsync(ct);
    }

    private string Write(string name, IReadOnlyList<CommunityEvent> events, Uri site, Func<CommunityEvent, string?>? status)
    {
        var calendar = new Ical.Net.Calendar { ProductId = "-//Solidons//Portail Solidons//FR", Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", name);
        var stamp = new CalDateTime(clock.GetUtcNow().UtcDateTime, "UTC");
        foreach (var e in events)
        {
            var page = new Uri(site, $"evenements/{e.Id}");
            calendar.Events.Add(new CalendarEvent
            {
                // Stable across feeds and edits, so an app that has the event from two feeds shows it once, updated.
                Uid = $"evenement-{e.Id}@{site.Host}",
                Sequence = e.Revision,
                DtStamp = stamp,
                Start = new CalDateTime(e.StartsAt.UtcDateTime, "UTC"),
                End = new CalDateTime(e.EndsAt.UtcDateTime, "UTC"),
                Summary = e.Title,
                Description = string.IsNullOrEmpty(e.Description) ? page.ToString() : $"{e.Description}\n\n{page}",
                Location = e.Place ?? e.OnlineUrl,
                Url = page,
                Status = e.IsCancelled ? "CANCELLED" : status?.Invoke(e) ?? "CONFIRMED",
            });
        }
        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    public static void Map(WebApplication app)
    {
        static Uri Site(HttpRequest r) => new($"{r.Scheme}://{r.Host}{r.PathBase}/");
        static IResult Ics(string? text, string file) => text is null ? Results.NotFound()
            : Results.File(System.Text.Encoding.UTF8.GetBytes(text), "text/calendar; charset=utf-8", file);

        app.MapGet("/calendrier/evenements/{id:int}.ics", async (int id, HttpRequest r, Calendars c, CancellationToken ct) =>
            Ics(await c.EventAsync(id, Site(r), ct), $"evenement-{id}.ics"));
        app.MapGet("/calendrier/groupes/{slug}.ics", async (string slug, HttpRequest r, Calendars c, CancellationToken ct) =>
            Ics(await c.GroupAsync(slug, Site(r), ct), "groupe.ics"));
        app.MapGet("/calendrier/projets/{slug}.ics", async (string slug, HttpRequest r, Calendars c, CancellationToken ct) =>
            Ics(await c.ProjectAsync(slug, Site(r), ct), "projet.ics"));
        app.MapGet("/calendrier/personnes/{token}.ics", async (string token, HttpRequest r, Calendars c, CancellationToken ct) =>
            Ics(await c.PersonAsync(token, Site(r), ct), "mes-evenements.ics"));
    }
}
