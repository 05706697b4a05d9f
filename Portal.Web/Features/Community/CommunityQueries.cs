using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Campaigns;
using Portal.Domain.Community;

namespace Portal.Web.Features.Community;

public sealed record NewsView(long Id, string Project, string ProjectSlug, string Title, string Html, DateTimeOffset PublishedAt);

public sealed record CommentView(long Id, string Author, string Text, DateTimeOffset PostedAt);

public sealed record MessageView(string ContributorId, string ContributorName, string Project, bool FromEntrepreneur, string Text, DateTimeOffset SentAt);

public sealed record FollowView(FollowKind Kind, int TargetId, string Name, string Url);

public sealed record NotificationView(long Id, string Text, string Url, DateTimeOffset CreatedAt, bool Read);

public sealed class CommunityQueries(IDbContextFactory<PortalDbContext> dbFactory, MarkdownRenderer markdown, NotificationCenter center)
{
    public async Task<IReadOnlyList<NewsView>> NewsAsync(IReadOnlyCollection<int> projectIds, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.News.AsNoTracking().Where(n => projectIds.Contains(n.ProjectId)).OrderByDescending(n => n.PublishedAt).Take(take)
            .Join(db.Projects, n => n.ProjectId, p => p.Id, (n, p) => new { n, p.Name, p.Slug }).ToListAsync(ct);
        return [.. rows.Select(r => new NewsView(r.n.Id, r.Name, r.Slug, r.n.Title, markdown.ToSafeHtml(r.n.Markdown), r.n.PublishedAt))];
    }

    public async Task<IReadOnlyList<CommentView>> CommentsAsync(int projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Comments.AsNoTracking().Where(c => c.ProjectId == projectId).OrderByDescending(c => c.PostedAt).Take(100)
            .Select(c => new CommentView(c.Id, c.AuthorName, c.Text, c.PostedAt)).ToListAsync(ct);
    }

    public async Task<bool> FollowsAsync(string userId, FollowKind kind, int targetId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Follows.AnyAsync(f => f.UserId == userId && f.Kind == kind && f.TargetId == targetId, ct);
    }

    public async Task<IReadOnlyList<FollowView>> FollowingAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var follows = await db.Follows.AsNoTracking().Where(f => f.UserId == userId).ToListAsync(ct);
        var projectIds = follows.Where(f => f.Kind == FollowKind.Project).Select(f => f.TargetId).ToList();
        var campaignIds = follows.Where(f => f.Kind == FollowKind.Campaign).Select(f => f.TargetId).ToList();
        var projects = await db.Projects.Where(p => projectIds.Contains(p.Id)).Select(p => new FollowView(FollowKind.Project, p.Id, p.Name, "projets/" + p.Slug)).ToListAsync(ct);
        var campaigns = await db.Campaigns.IgnoreAutoIncludes().Where(c => campaignIds.Contains(c.Id))
            .Select(c => new FollowView(FollowKind.Campaign, c.Id, c.Name, "campagnes/" + c.Slug)).ToListAsync(ct);
        var groupIds = follows.Where(f => f.Kind == FollowKind.Group).Select(f => f.TargetId).ToList();
        var groups = await db.Groups.Where(g => groupIds.Contains(g.Id)).Select(g => new FollowView(FollowKind.Group, g.Id, g.Name, "groupes/" + g.Slug)).ToListAsync(ct);
        return [.. projects, .. campaigns, .. groups];
    }

    /// <summary>The conversations of a project (entrepreneur side) or of one contributor (their side).</summary>
    public async Task<IReadOnlyList<MessageView>> MessagesAsync(int? projectId, string? contributorId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Messages.AsNoTracking().AsQueryable();
        if (projectId is not null) query = query.Where(m => m.ProjectId == projectId);
        if (contributorId is not null) query = query.Where(m => m.ContributorId == contributorId);
        return await query.OrderByDescending(m => m.SentAt).Take(200)
            .Join(db.Projects, m => m.ProjectId, p => p.Id, (m, p) => new MessageView(m.ContributorId, m.ContributorName, p.Name, m.FromEntrepreneur, m.Text, m.SentAt))
            .ToListAsync(ct);
    }

    public async Task<int> UnreadCountAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);
    }

    public async Task<IReadOnlyList<NotificationView>> NotificationsAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Notifications.AsNoTracking().Where(n => n.UserId == userId).OrderByDescending(n => n.CreatedAt).Take(50).ToListAsync(ct);
        return [.. rows.Select(n => new NotificationView(n.Id, center.Describe(n), n.Url, n.CreatedAt, n.ReadAt is not null))];
    }

    public async Task MarkAllReadAsync(string userId, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }
}
