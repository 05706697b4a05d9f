using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Common;
using Portal.Domain.Community;
using Portal.Web.Features.Community;

namespace Portal.Web.Features.Gatherings;

public sealed class CreateGroup
{
    public string Name { get; set; } = "";
    public string Summary { get; set; } = "";
    public string Description { get; set; } = "";
    public GroupJoinPolicy Policy { get; set; } = GroupJoinPolicy.Open;
}

public sealed class CreateGroupValidator : AbstractValidator<CreateGroup>
{
    public CreateGroupValidator(IStringLocalizer<SharedResource> L)
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage(_ => L["Val.NameRequired"]).MaximumLength(CommunityGroup.MaxName).WithMessage(_ => L["Val.NameTooLong"])
            .Must(n => Slug.From(n ?? "").Length > 0).WithMessage(_ => L["Val.NameNoLetters"]);
        RuleFor(x => x.Summary).NotEmpty().WithMessage(_ => L["Val.SummaryRequired"]).MaximumLength(CommunityGroup.MaxSummary).WithMessage(_ => L["Val.TextTooLong"]);
        RuleFor(x => x.Description).MaximumLength(CommunityGroup.MaxDescription).WithMessage(_ => L["Val.TextTooLong"]);
        RuleFor(x => x.Policy).IsInEnum().WithMessage(_ => L["Val.PolicyUnknown"]);
    }
}

public sealed class PostInGroup
{
    public int GroupId { get; set; }
    public string Markdown { get; set; } = "";
}

public sealed class PostInGroupValidator : AbstractValidator<PostInGroup>
{
    public PostInGroupValidator(IStringLocalizer<SharedResource> L) =>
        RuleFor(x => x.Markdown).NotEmpty().WithMessage(_ => L["Val.TextRequired"]).MaximumLength(GroupPost.MaxBody).WithMessage(_ => L["Val.TextTooLong"]);
}

/// <summary>
/// Groups: created by staff or by organisers the staff named; joined at once or on a manager's approval; members post,
/// managers approve, link projects and host events (<see cref="EventService"/>). Every action asks the database who
/// the actor is to this group.
/// </summary>
public sealed class GroupService(
    IDbContextFactory<PortalDbContext> dbFactory,
    IValidator<CreateGroup> createValidator,
    IValidator<PostInGroup> postValidator,
    NotificationCenter notifications,
    TimeProvider clock)
{
    public const int GroupsPerDay = 5;
    public const int PostsPerMinute = 5;

    public static bool MayCreateGroups(Actor actor) => actor.IsAdmin || actor.Roles.Contains(Roles.Organiser);

    public async Task<CommunityGroup> CreateAsync(Actor actor, CreateGroup command, CancellationToken ct = default)
    {
        if (!MayCreateGroups(actor)) throw new ForbiddenException("Only staff and organisers create groups.");
        await createValidator.ValidateAndThrowAsync(command, ct);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var group = new CommunityGroup(command.Name, command.Summary, command.Description, command.Policy, actor.UserId, now);
        if (await db.Groups.CountAsync(g => g.CreatedById == actor.UserId && g.CreatedAt > now.AddDays(-1), ct) >= GroupsPerDay)
            throw new DomainException("group.rate", "Too many groups created today: wait until tomorrow.");
        if (await db.Groups.AnyAsync(g => g.Slug == group.Slug, ct))
            throw new DomainException("group.name_taken", "A group already has this name.", "name");
        await db.InTransactionAsync(async t =>
        {
            db.Groups.Add(group);
            await db.SaveChangesAsync(t);
            db.GroupMembers.Add(group.FounderMembership(now));
            await db.SaveChangesAsync(t);
        }, ct);
        return group;
    }

    /// <summary>Joins an open group, or asks a closed one's managers, who are told at once.</summary>
    public async Task<MembershipStatus> JoinAsync(Actor actor, int groupId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var group = await db.Groups.SingleOrDefaultAsync(g => g.Id == groupId, ct) ?? throw new DomainException("group.unknown", "This group does not exist.");
        var existing = await db.GroupMembers.SingleOrDefaultAsync(m => m.GroupId == groupId && m.UserId == actor.UserId, ct);
        var membership = group.Join(actor.UserId, existing, clock.GetUtcNow());
        if (existing is not null) return membership.Status;
        db.GroupMembers.Add(membership);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException)
        {
            // The same person's second click, committed first: that one holds.
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            return await again.GroupMembers.Where(m => m.GroupId == groupId && m.UserId == actor.UserId).Select(m => m.Status).SingleAsync(ct);
        }
        if (membership.Status == MembershipStatus.Pending)
            await notifications.NotifyAsync(await ManagersAsync(db, groupId, ct), NotificationKind.GroupJoinRequest, group.Name, $"groupes/{group.Slug}", ct);
        return membership.Status;
    }

    /// <summary>Leaves the group (or withdraws a request). The last manager stays until another is named.</summary>
    public async Task LeaveAsync(Actor actor, int groupId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var membership = await db.GroupMembers.SingleOrDefaultAsync(m => m.GroupId == groupId && m.UserId == actor.UserId, ct)
            ?? throw new DomainException("group.not_member", "You are not a member of this group.");
        if (membership.IsManager && !await db.GroupMembers.AnyAsync(m => m.GroupId == groupId && m.IsManager && m.UserId != actor.UserId, ct))
            throw new DomainException("group.last_manager", "You are the group's only manager: ask the association to name another one first.");
        db.GroupMembers.Remove(membership);
        await db.SaveChangesAsync(ct);
    }

    public async Task ApproveAsync(Actor actor, int groupId, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await RequireManagerAsync(db, actor, groupId, ct);
        var membership = await db.GroupMembers.SingleOrDefaultAsync(m => m.GroupId == groupId && m.UserId == userId, ct)
            ?? throw new DomainException("group.no_request", "This person has not asked to join.");
        membership.Approve();
        await db.SaveChangesAsync(ct);
        var group = await db.Groups.Where(g => g.Id == groupId).Select(g => new { g.Name, g.Slug }).SingleAsync(ct);
        await notifications.NotifyAsync([userId], NotificationKind.GroupJoinApproved, group.Name, $"groupes/{group.Slug}", ct);
    }

    public async Task ChooseNotificationsAsync(Actor actor, int groupId, GroupNotifications choice, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(choice)) throw new DomainException("group.notifications", "Choose everything, events only or nothing.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var membership = await db.GroupMembers.SingleOrDefaultAsync(m => m.GroupId == groupId && m.UserId == actor.UserId && m.Status == MembershipStatus.Member, ct)
            ?? throw new DomainException("group.not_member", "You are not a member of this group.");
        membership.Choose(choice);
        await db.SaveChangesAsync(ct);
    }

    public async Task<GroupPost> PostAsync(Actor actor, PostInGroup command, CancellationToken ct = default)
    {
        await postValidator.ValidateAndThrowAsync(command, ct);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.GroupMembers.AnyAsync(m => m.GroupId == command.GroupId && m.UserId == actor.UserId && m.Status == MembershipStatus.Member, ct))
            throw new ForbiddenException("Only the group's members post in it.");
        if (await db.GroupPosts.CountAsync(p => p.AuthorId == actor.UserId && p.PostedAt > now.AddMinutes(-1), ct) >= PostsPerMinute)
            throw new DomainException("post.rate", "Too many posts in a minute: wait a little.");
        var name = await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.DisplayName).SingleAsync(ct);
        var post = new GroupPost(command.GroupId, actor.UserId, name, command.Markdown, now);
        db.GroupPosts.Add(post);
        await db.SaveChangesAsync(ct);
        var group = await db.Groups.Where(g => g.Id == command.GroupId).Select(g => new { g.Name, g.Slug }).SingleAsync(ct);
        var audience = (await AudienceAsync(db, command.GroupId, isEvent: false, ct)).Where(id => id != actor.UserId).ToList();
        await notifications.NotifyAsync(audience, NotificationKind.GroupPost, group.Name, $"groupes/{group.Slug}", ct);
        return post;
    }

    public async Task LinkProjectAsync(Actor actor, int groupId, int projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await RequireManagerAsync(db, actor, groupId, ct);
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, ct)) throw new DomainException("project.unknown", "This project does not exist.");
        if (await db.GroupProjects.AnyAsync(l => l.GroupId == groupId && l.ProjectId == projectId, ct)) return;
        db.GroupProjects.Add(new GroupProject(groupId, projectId));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Staff manage every group; otherwise the actor must be one of its managers.</summary>
    internal static async Task RequireManagerAsync(PortalDbContext db, Actor actor, int groupId, CancellationToken ct)
    {
        if (!await db.Groups.AnyAsync(g => g.Id == groupId, ct)) throw new DomainException("group.unknown", "This group does not exist.");
        if (actor.IsAdmin) return;
        if (!await db.GroupMembers.AnyAsync(m => m.GroupId == groupId && m.UserId == actor.UserId && m.IsManager, ct))
            throw new ForbiddenException("Only the group's managers do this.");
    }

    /// <summary>Who hears of a post or an event: the members as each chose, and the accounts that follow the group.</summary>
    internal static async Task<IReadOnlyList<string>> AudienceAsync(PortalDbContext db, int groupId, bool isEvent, CancellationToken ct)
    {
        var members = await db.GroupMembers.Where(m => m.GroupId == groupId).ToListAsync(ct);
        var followers = await db.Follows.Where(f => f.Kind == FollowKind.Group && f.TargetId == groupId).Select(f => f.UserId).ToListAsync(ct);
        var silent = members.Where(m => m.IsMember && !m.Hears(isEvent)).Select(m => m.UserId).ToHashSet();
        return [.. members.Where(m => m.Hears(isEvent)).Select(m => m.UserId).Concat(followers.Where(f => !silent.Contains(f))).Distinct()];
    }

    private static async Task<IReadOnlyList<string>> ManagersAsync(PortalDbContext db, int groupId, CancellationToken ct) =>
        await db.GroupMembers.Where(m => m.GroupId == groupId && m.IsManager).Select(m => m.UserId).ToListAsync(ct);
}
