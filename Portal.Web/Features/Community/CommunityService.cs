using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Common;
using Portal.Domain.Community;

namespace Portal.Web.Features.Community;

public sealed class PostNews
{
    public int ProjectId { get; set; }
    public string Title { get; set; } = "";
    public string Markdown { get; set; } = "";
}

public sealed class PostNewsValidator : AbstractValidator<PostNews>
{
    public PostNewsValidator(IStringLocalizer<SharedResource> L)
    {
        RuleFor(x => x.Title).NotEmpty().WithMessage(_ => L["Val.TitleRequired"]).MaximumLength(150).WithMessage(_ => L["Val.TitleTooLong"]);
        RuleFor(x => x.Markdown).NotEmpty().WithMessage(_ => L["Val.TextRequired"]).MaximumLength(ProjectNews.MaxBody).WithMessage(_ => L["Val.TextTooLong"]);
    }
}

public sealed class PostText
{
    public int ProjectId { get; set; }
    public string Text { get; set; } = "";
}

public sealed class PostTextValidator : AbstractValidator<PostText>
{
    public PostTextValidator(IStringLocalizer<SharedResource> L) =>
        RuleFor(x => x.Text).NotEmpty().WithMessage(_ => L["Val.TextRequired"])
            .MaximumLength(ContactMessage.MaxLength).WithMessage(_ => L["Val.TextTooLong"]);
}

/// <summary>
/// The collaborative side: news by a project's entrepreneur, comments and messages by signed-in users, follows.
/// Text is length-limited and rate-limited per user; comments and messages are shown as plain text, news through
/// <see cref="MarkdownRenderer"/>.
/// </summary>
public sealed class CommunityService(
    IDbContextFactory<PortalDbContext> dbFactory,
    IValidator<PostNews> newsValidator,
    IValidator<PostText> textValidator,
    NotificationCenter notifications,
    EmailFollows emailFollows,
    TimeProvider clock)
{
    public const int CommentsPerMinute = 5;
    public const int MessagesPerHour = 10;

    public async Task<ProjectNews> PostNewsAsync(Actor actor, PostNews command, CancellationToken ct = default)
    {
        await newsValidator.ValidateAndThrowAsync(command, ct);
        if (!actor.Roles.Contains(Roles.Entrepreneur) || actor.ProjectId != command.ProjectId)
            throw new ForbiddenException("Only the project's entrepreneur posts its news.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var news = new ProjectNews(command.ProjectId, command.Title, command.Markdown, actor.UserId, clock.GetUtcNow());
        db.News.Add(news);
        var project = await db.Projects.Where(p => p.Id == command.ProjectId).Select(p => new { p.Name, p.Slug }).SingleAsync(ct);
        // The addresses that follow the project without an account hear of it by mail, queued with the news itself.
        await emailFollows.QueueNewsAsync(db, command.ProjectId, project.Name, project.Slug, news.Title, ct);
        await db.SaveChangesAsync(ct);
        var followers = await db.Follows.Where(f => f.Kind == FollowKind.Project && f.TargetId == command.ProjectId).Select(f => f.UserId).ToListAsync(ct);
        await notifications.NotifyAsync(followers, NotificationKind.ProjectNews, project.Name, $"projets/{project.Slug}", ct);
        return news;
    }

    public async Task<Comment> CommentAsync(Actor actor, PostText command, CancellationToken ct = default)
    {
        await textValidator.ValidateAndThrowAsync(command, ct);
        if (command.Text.Length > Comment.MaxLength) throw new DomainException("comment.too_long", $"A comment is at most {Comment.MaxLength} characters.");
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Comments.CountAsync(c => c.AuthorId == actor.UserId && c.PostedAt > now.AddMinutes(-1), ct) >= CommentsPerMinute)
            throw new DomainException("comment.rate", "Too many comments in a minute: wait a little.");
        var name = await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.DisplayName).SingleAsync(ct);
        var comment = new Comment(command.ProjectId, actor.UserId, name, command.Text, now);
        db.Comments.Add(comment);
        await db.SaveChangesAsync(ct);
        return comment;
    }

    public async Task<bool> ToggleFollowAsync(Actor actor, FollowKind kind, int targetId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.Follows.SingleOrDefaultAsync(f => f.UserId == actor.UserId && f.Kind == kind && f.TargetId == targetId, ct);
        if (existing is null) db.Follows.Add(new Follow(actor.UserId, kind, targetId, clock.GetUtcNow()));
        else db.Follows.Remove(existing);
        await db.SaveChangesAsync(ct);
        return existing is null;
    }

    /// <summary>A contributor or structure writes to a project's entrepreneur; neither sees the other's address.</summary>
    public async Task SendMessageAsync(Actor actor, PostText command, CancellationToken ct = default)
    {
        await textValidator.ValidateAndThrowAsync(command, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await RequireMessageBudgetAsync(db.Messages.Where(m => m.ContributorId == actor.UserId && !m.FromEntrepreneur), clock.GetUtcNow().AddHours(-1), MessagesPerHour, ct);
        var name = await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.DisplayName).SingleAsync(ct);
        db.Messages.Add(new ContactMessage(command.ProjectId, actor.UserId, name, fromEntrepreneur: false, command.Text, clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        var entrepreneurs = await db.Users.Where(u => u.ProjectId == command.ProjectId).Select(u => u.Id).ToListAsync(ct);
        await notifications.NotifyAsync(entrepreneurs, NotificationKind.Message, name, "entrepreneur/messages", ct);
    }

    /// <summary>The entrepreneur answers a conversation of their own project.</summary>
    public async Task ReplyAsync(Actor actor, string contributorId, string text, CancellationToken ct = default)
    {
        if (!actor.Roles.Contains(Roles.Entrepreneur) || actor.ProjectId is not { } projectId)
            throw new ForbiddenException("Only the project's entrepreneur answers its messages.");
        await textValidator.ValidateAndThrowAsync(new PostText { ProjectId = projectId, Text = text }, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var conversation = await db.Messages.Where(m => m.ProjectId == projectId && m.ContributorId == contributorId)
            .Select(m => m.ContributorName).FirstOrDefaultAsync(ct)
            ?? throw new ForbiddenException("There is no conversation with this person on your project.");
        await RequireMessageBudgetAsync(db.Messages.Where(m => m.ProjectId == projectId && m.FromEntrepreneur), clock.GetUtcNow().AddHours(-1), MessagesPerHour * 6, ct);
        db.Messages.Add(new ContactMessage(projectId, contributorId, conversation, fromEntrepreneur: true, text, clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        var project = await db.Projects.Where(p => p.Id == projectId).Select(p => p.Name).SingleAsync(ct);
        await notifications.NotifyAsync([contributorId], NotificationKind.Message, project, "moi", ct);
    }

    private static async Task RequireMessageBudgetAsync(IQueryable<ContactMessage> mine, DateTimeOffset since, int limit, CancellationToken ct)
    {
        if (await mine.CountAsync(m => m.SentAt > since, ct) >= limit)
            throw new DomainException("message.rate", "Too many messages in an hour: wait a little.");
    }
}
