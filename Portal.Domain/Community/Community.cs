using Portal.Domain.Common;

namespace Portal.Domain.Community;

/// <summary>News an entrepreneur posts about their project, in Markdown (rendered and sanitised when shown).</summary>
public sealed class ProjectNews
{
    public const int MaxBody = 10_000;

    private ProjectNews() { }

    public ProjectNews(int projectId, string title, string markdown, string authorId, DateTimeOffset now)
    {
        ProjectId = projectId;
        Title = Guard.Text(title, "title", 150);
        Markdown = Guard.Text(markdown, "body", MaxBody);
        AuthorId = authorId;
        PublishedAt = now;
    }

    public long Id { get; private set; }
    public int ProjectId { get; private set; }
    public string Title { get; private set; } = "";
    public string Markdown { get; private set; } = "";
    public string AuthorId { get; private set; } = "";
    public DateTimeOffset PublishedAt { get; private set; }
}

/// <summary>A signed-in user's comment on a project, plain text only.</summary>
public sealed class Comment
{
    public const int MaxLength = 1_000;

    private Comment() { }

    public Comment(int projectId, string authorId, string authorName, string text, DateTimeOffset now)
    {
        ProjectId = projectId;
        AuthorId = authorId;
        AuthorName = authorName;
        Text = Guard.Text(text, "comment", MaxLength);
        PostedAt = now;
    }

    public long Id { get; private set; }
    public int ProjectId { get; private set; }
    public string AuthorId { get; private set; } = "";
    /// <summary>The display name at posting time: comments show no e-mail address.</summary>
    public string AuthorName { get; private set; } = "";
    public string Text { get; private set; } = "";
    public DateTimeOffset PostedAt { get; private set; }
}

public enum FollowKind { Project, Campaign, Group }

public sealed class Follow
{
    private Follow() { }

    public Follow(string userId, FollowKind kind, int targetId, DateTimeOffset now)
    {
        UserId = userId;
        Kind = kind;
        TargetId = targetId;
        Since = now;
    }

    public long Id { get; private set; }
    public string UserId { get; private set; } = "";
    public FollowKind Kind { get; private set; }
    public int TargetId { get; private set; }
    public DateTimeOffset Since { get; private set; }
}

/// <summary>
/// A message to a project's entrepreneur through the portal, or their answer. Neither side sees the other's e-mail
/// address: both read and answer here, and e-mails only say that a message is waiting.
/// </summary>
public sealed class ContactMessage
{
    public const int MaxLength = 2_000;

    private ContactMessage() { }

    public ContactMessage(int projectId, string contributorId, string contributorName, bool fromEntrepreneur, string text, DateTimeOffset now)
    {
        ProjectId = projectId;
        ContributorId = contributorId;
        ContributorName = contributorName;
        FromEntrepreneur = fromEntrepreneur;
        Text = Guard.Text(text, "message", MaxLength);
        SentAt = now;
    }

    public long Id { get; private set; }
    public int ProjectId { get; private set; }
    /// <summary>The contributor (or structure) side of the conversation, whoever wrote this message.</summary>
    public string ContributorId { get; private set; } = "";
    public string ContributorName { get; private set; } = "";
    public bool FromEntrepreneur { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset SentAt { get; private set; }
}

public enum NotificationKind
{
    ProjectNews, CampaignClosed, CampaignAllocated, HoursConfirmed, HoursDisputed, Message, HoursWaiting,
    GroupPost, GroupEvent, GroupJoinRequest, GroupJoinApproved, EventSeat, EventReminder, EventCalledOff,
}

public sealed class Notification
{
    private Notification() { }

    public Notification(string userId, NotificationKind kind, string subject, string url, DateTimeOffset now)
    {
        UserId = userId;
        Kind = kind;
        Subject = subject.Length > 200 ? subject[..200] : subject;
        Url = url;
        CreatedAt = now;
    }

    public long Id { get; private set; }
    public string UserId { get; private set; } = "";
    public NotificationKind Kind { get; private set; }
    /// <summary>What it is about (a project's or campaign's name), shown in the user's language around it.</summary>
    public string Subject { get; private set; } = "";
    public string Url { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ReadAt { get; set; }
    public DateTimeOffset? EmailedAt { get; set; }
}

public enum EmailPreference { Immediate, DailyDigest, None }

/// <summary>
/// Following a project with an e-mail address alone, no account: requested on the ticket page after a vote, active
/// once the address confirms from the mail it gets (double opt-in), stopped by the link in every mail after.
/// </summary>
public sealed class EmailFollow
{
    public const int MaxEmailLength = 256;

    private EmailFollow() { }

    public EmailFollow(string email, int projectId, string site, DateTimeOffset now)
    {
        Email = Guard.Text(email, "email", MaxEmailLength).ToLowerInvariant();
        ProjectId = projectId;
        Site = Guard.Text(site, "site", 200);
        RequestedAt = now;
    }

    public long Id { get; private set; }
    public string Email { get; private set; } = "";
    public int ProjectId { get; private set; }
    /// <summary>The portal's address the request came from: the news mails link back to it.</summary>
    public string Site { get; private set; } = "";
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset? ConfirmedAt { get; private set; }
    public DateTimeOffset? StoppedAt { get; private set; }
    public bool IsActive => ConfirmedAt is not null && StoppedAt is null;

    /// <summary>The address says yes. Once stopped, only a new request starts it again.</summary>
    public void Confirm(DateTimeOffset now)
    {
        if (StoppedAt is not null) throw new DomainException("follow.stopped", "This follow was stopped: ask again from the ticket page.");
        ConfirmedAt ??= now;
    }

    public void Stop(DateTimeOffset now) => StoppedAt ??= now;
}
