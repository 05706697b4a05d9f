using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Community;
using Portal.Web.Features.Community;

namespace Portal.Web.Features.Gatherings;

public sealed record GroupCard(int Id, string Slug, string Name, string Summary, GroupJoinPolicy Policy, int Members);

public sealed record MemberView(string UserId, string Name, bool IsManager, MembershipStatus Status, DateTimeOffset JoinedAt);

public sealed record GroupPostView(long Id, string Author, string Html, DateTimeOffset PostedAt);

public sealed record EventCard(int Id, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Place, bool Online, int? Capacity, int Confirmed, bool Cancelled);

public sealed record GroupDetail(GroupCard Card, string DescriptionHtml, IReadOnlyList<MemberView> Members, IReadOnlyList<GroupPostView> Posts,
    IReadOnlyList<EventCard> Events, IReadOnlyList<(string Name, string Slug)> Projects);

public sealed record EventDetail(EventCard Card, string DescriptionHtml, string? OnlineUrl, EventHost Host, string HostName, string HostUrl, int Waiting);

/// <summary>Where a person stands with an event: their registration, their place in line, and whether they host it.</summary>
public sealed record MyRegistration(RegistrationStatus? Status, int? WaitingPosition, bool Hosts);

public sealed class GatheringQueries(IDbContextFactory<PortalDbContext> dbFactory, MarkdownRenderer markdown, TimeProvider clock)
{
    public async Task<IReadOnlyList<GroupCard>> GroupsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Groups.AsNoTracking().OrderBy(g => g.Name)
            .Select(g => new GroupCard(g.Id, g.Slug, g.Name, g.Summary, g.Policy, db.GroupMembers.Count(m => m.GroupId == g.Id && m.Status == MembershipStatus.Member)))
            .ToListAsync(ct);
    }

    public async Task<GroupDetail?> GroupAsync(string slug, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var g = await db.Groups.AsNoTracking().SingleOrDefaultAsync(x => x.Slug == slug, ct);
        if (g is null) return null;
        var members = await db.GroupMembers.AsNoTracking().Where(m => m.GroupId == g.Id)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m, u.DisplayName })
            .OrderByDescending(x => x.m.IsManager).ThenBy(x => x.m.JoinedAt).Take(500)
            .Select(x => new MemberView(x.m.UserId, x.DisplayName, x.m.IsManager, x.m.Status, x.m.JoinedAt)).ToListAsync(ct);
        var posts = await db.GroupPosts.AsNoTracking().Where(p => p.GroupId == g.Id).OrderByDescending(p => p.PostedAt).Take(50).ToListAsync(ct);
        var projects = await db.GroupProjects.Where(l => l.GroupId == g.Id).Join(db.Projects, l => l.ProjectId, p => p.Id, (_, p) => new { p.Name, p.Slug })
            .OrderBy(p => p.Name).ToListAsync(ct);
        var card = new GroupCard(g.Id, g.Slug, g.Name, g.Summary, g.Policy, members.Count(m => m.Status == MembershipStatus.Member));
        return new GroupDetail(card, markdown.ToSafeHtml(g.Description), members,
            [.. posts.Select(p => new GroupPostView(p.Id, p.AuthorName, markdown.ToSafeHtml(p.Markdown), p.PostedAt))],
            await UpcomingAsync(db, EventHost.Group, g.Id, ct), [.. projects.Select(p => (p.Name, p.Slug))]);
    }

    public async Task<IReadOnlyList<EventCard>> UpcomingAsync(EventHost? host, int? hostId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await UpcomingAsync(db, host, hostId, ct);
    }

    public async Task<EventDetail?> EventAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var e = await db.Events.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (e is null) return null;
        var (hostName, hostUrl) = e.Host == EventHost.Group
            ? await db.Groups.Where(g => g.Id == e.HostId).Select(g => new ValueTuple<string, string>(g.Name, "groupes/" + g.Slug)).SingleAsync(ct)
            : await db.Projects.Where(p => p.Id == e.HostId).Select(p => new ValueTuple<string, string>(p.Name, "projets/" + p.Slug)).SingleAsync(ct);
        return new EventDetail(Card(e), markdown.ToSafeHtml(e.Description), e.OnlineUrl, e.Host, hostName, hostUrl,
            e.Registrations.Count(r => r.Status == RegistrationStatus.Waiting));
    }

    public async Task<MyRegistration> MineAsync(Actor actor, int eventId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var e = await db.Events.AsNoTracking().SingleOrDefaultAsync(x => x.Id == eventId, ct);
        if (e is null) return new MyRegistration(null, null, false);
        var mine = e.Registrations.SingleOrDefault(r => r.UserId == actor.UserId && r.IsActive);
        var hosts = actor.IsAdmin || (e.Host == EventHost.Project
            ? actor.ProjectId == e.HostId && actor.Roles.Contains(Data.Identity.Roles.Entrepreneur)
            : await db.GroupMembers.AnyAsync(m => m.GroupId == e.HostId && m.UserId == actor.UserId && m.IsManager, ct));
        return new MyRegistration(mine?.Status, e.WaitingPosition(actor.UserId), hosts);
    }

    public async Task<GroupMember?> MembershipAsync(string userId, int groupId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.GroupMembers.AsNoTracking().SingleOrDefaultAsync(m => m.GroupId == groupId && m.UserId == userId, ct);
    }

    /// <summary>Who asked to join a group by approval and waits for a manager.</summary>
    public async Task<IReadOnlyList<MemberView>> PendingAsync(int groupId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.GroupMembers.AsNoTracking().Where(m => m.GroupId == groupId && m.Status == MembershipStatus.Pending)
            .OrderBy(m => m.JoinedAt).Take(200)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new MemberView(m.UserId, u.DisplayName, m.IsManager, m.Status, m.JoinedAt)).ToListAsync(ct);
    }

    /// <summary>The groups a person belongs to and the events they registered for, for their own page.</summary>
    public async Task<(IReadOnlyList<GroupCard> Groups, IReadOnlyList<EventCard> Events)> MineAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = await db.GroupMembers.Where(m => m.UserId == userId).Join(db.Groups, m => m.GroupId, g => g.Id, (m, g) => g)
            .OrderBy(g => g.Name).Select(g => new GroupCard(g.Id, g.Slug, g.Name, g.Summary, g.Policy, 0)).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var events = await db.Set<EventRegistration>().Where(r => r.UserId == userId && r.Status != RegistrationStatus.Cancelled)
            .Join(db.Events.IgnoreAutoIncludes().Where(e => e.EndsAt > now), r => r.EventId, e => e.Id, (_, e) => e)
            .OrderBy(e => e.StartsAt).Take(50).ToListAsync(ct);
        return (groups, [.. events.Select(Card)]);
    }

    private async Task<IReadOnlyList<EventCard>> UpcomingAsync(PortalDbContext db, EventHost? host, int? hostId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var query = db.Events.IgnoreAutoIncludes().AsNoTracking().Where(e => e.EndsAt > now);
        if (host is not null) query = query.Where(e => e.Host == host && e.HostId == hostId);
        return [.. (await query.OrderBy(e => e.StartsAt).Take(50).ToListAsync(ct)).Select(Card)];
    }

    private static EventCard Card(CommunityEvent e) =>
        new(e.Id, e.Title, e.StartsAt, e.EndsAt, e.Place, e.OnlineUrl is not null, e.Capacity, e.ConfirmedCount, e.IsCancelled);
}
