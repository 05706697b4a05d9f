using Portal.Domain.Common;

namespace Portal.Domain.Community;

/// <summary>Who may join: anyone signed in at once, or whoever the group's managers approve.</summary>
public enum GroupJoinPolicy { Open, Approval }

public enum MembershipStatus { Pending, Member }

/// <summary>What a member hears of the group in their bell (and by e-mail, as their account chose).</summary>
public enum GroupNotifications { Everything, EventsOnly, Nothing }

/// <summary>
/// A group of the community: a neighbourhood, a sector, the volunteers of one skill. Members write posts (sanitised
/// Markdown, like news), managers host events and link the projects the group cares about.
/// </summary>
public sealed class CommunityGroup
{
    public const int MaxName = 100;
    public const int MaxSummary = 300;
    public const int MaxDescription = 10_000;

    private CommunityGroup() { }

    public CommunityGroup(string name, string summary, string description, GroupJoinPolicy policy, string createdById, DateTimeOffset now)
    {
        Name = Guard.Text(name, "name", MaxName);
        Slug = Common.Slug.From(Name);
        if (Slug.Length == 0) throw new DomainException("name.no_letters", "A group's name needs letters or digits.", "name");
        Summary = Guard.Text(summary, "summary", MaxSummary);
        Description = string.IsNullOrWhiteSpace(description) ? "" : Guard.Text(description, "body", MaxDescription);
        Policy = policy;
        CreatedById = createdById;
        CreatedAt = now;
    }

    public int Id { get; private set; }
    public string Slug { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string Summary { get; private set; } = "";
    public string Description { get; private set; } = "";
    public GroupJoinPolicy Policy { get; private set; }
    public string CreatedById { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The creator is the first member, and manages the group.</summary>
    public GroupMember FounderMembership(DateTimeOffset now) => new(Id, CreatedById, MembershipStatus.Member, isManager: true, now);

    /// <summary>A person asks to join: a member at once in an open group, waiting for a manager otherwise.</summary>
    public GroupMember Join(string userId, GroupMember? existing, DateTimeOffset now)
    {
        if (existing is not null) return existing;
        return new GroupMember(Id, userId, Policy == GroupJoinPolicy.Open ? MembershipStatus.Member : MembershipStatus.Pending, isManager: false, now);
    }
}

public sealed class GroupMember
{
    private GroupMember() { }

    internal GroupMember(int groupId, string userId, MembershipStatus status, bool isManager, DateTimeOffset now)
    {
        GroupId = groupId;
        UserId = userId;
        Status = status;
        IsManager = isManager;
        JoinedAt = now;
    }

    public long Id { get; private set; }
    public int GroupId { get; private set; }
    public string UserId { get; private set; } = "";
    public MembershipStatus Status { get; private set; }
    public bool IsManager { get; private set; }
    public GroupNotifications Notifications { get; private set; }
    public DateTimeOffset JoinedAt { get; private set; }

    public bool IsMember => Status == MembershipStatus.Member;

    public void Approve()
    {
        if (Status == MembershipStatus.Member) throw new DomainException("group.already_member", "This person is already a member.");
        Status = MembershipStatus.Member;
    }

    public void Choose(GroupNotifications notifications) => Notifications = notifications;

    /// <summary>Whether this member hears of a post, or of an event, in the group.</summary>
    public bool Hears(bool isEvent) => IsMember && Notifications switch
    {
        GroupNotifications.Everything => true,
        GroupNotifications.EventsOnly => isEvent,
        _ => false,
    };
}

/// <summary>A member's post in a group: Markdown, rendered and sanitised when shown.</summary>
public sealed class GroupPost
{
    public const int MaxBody = 5_000;

    private GroupPost() { }

    public GroupPost(int groupId, string authorId, string authorName, string markdown, DateTimeOffset now)
    {
        GroupId = groupId;
        AuthorId = authorId;
        AuthorName = authorName;
        Markdown = Guard.Text(markdown, "body", MaxBody);
        PostedAt = now;
    }

    public long Id { get; private set; }
    public int GroupId { get; private set; }
    public string AuthorId { get; private set; } = "";
    public string AuthorName { get; private set; } = "";
    public string Markdown { get; private set; } = "";
    public DateTimeOffset PostedAt { get; private set; }
}

/// <summary>A project a group cares about, shown on the group's page.</summary>
public sealed class GroupProject
{
    private GroupProject() { }

    public GroupProject(int groupId, int projectId)
    {
        GroupId = groupId;
        ProjectId = projectId;
    }

    public int GroupId { get; private set; }
    public int ProjectId { get; private set; }
}
