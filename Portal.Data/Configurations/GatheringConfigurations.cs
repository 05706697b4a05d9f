using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Identity;
using Portal.Domain.Community;
using Portal.Domain.Projects;

namespace Portal.Data.Configurations;

internal sealed class CommunityGroupConfiguration : IEntityTypeConfiguration<CommunityGroup>
{
    public void Configure(EntityTypeBuilder<CommunityGroup> b)
    {
        b.ToTable("Groups");
        b.Property(g => g.Name).HasMaxLength(CommunityGroup.MaxName);
        b.Property(g => g.Slug).HasMaxLength(CommunityGroup.MaxName);
        b.Property(g => g.Summary).HasMaxLength(CommunityGroup.MaxSummary);
        b.Property(g => g.Description).HasMaxLength(CommunityGroup.MaxDescription);
        b.HasIndex(g => g.Slug).IsUnique();
        b.HasOne<PortalUser>().WithMany().HasForeignKey(g => g.CreatedById).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class GroupMemberConfiguration : IEntityTypeConfiguration<GroupMember>
{
    public void Configure(EntityTypeBuilder<GroupMember> b)
    {
        b.HasIndex(m => new { m.GroupId, m.UserId }).IsUnique();
        b.HasIndex(m => m.UserId);
        b.HasOne<CommunityGroup>().WithMany().HasForeignKey(m => m.GroupId);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(m => m.UserId);
        b.Ignore(m => m.IsMember);
    }
}

internal sealed class GroupPostConfiguration : IEntityTypeConfiguration<GroupPost>
{
    public void Configure(EntityTypeBuilder<GroupPost> b)
    {
        b.Property(p => p.AuthorName).HasMaxLength(100);
        b.Property(p => p.Markdown).HasMaxLength(GroupPost.MaxBody);
        b.HasIndex(p => new { p.GroupId, p.PostedAt });
        b.HasIndex(p => new { p.AuthorId, p.PostedAt });
        b.HasOne<CommunityGroup>().WithMany().HasForeignKey(p => p.GroupId);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(p => p.AuthorId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class GroupProjectConfiguration : IEntityTypeConfiguration<GroupProject>
{
    public void Configure(EntityTypeBuilder<GroupProject> b)
    {
        b.HasKey(l => new { l.GroupId, l.ProjectId });
        b.HasOne<CommunityGroup>().WithMany().HasForeignKey(l => l.GroupId);
        b.HasOne<Project>().WithMany().HasForeignKey(l => l.ProjectId);
    }
}

internal sealed class CommunityEventConfiguration : IEntityTypeConfiguration<CommunityEvent>
{
    public void Configure(EntityTypeBuilder<CommunityEvent> b)
    {
        b.ToTable("Events");
        b.Property(e => e.Version).IsConcurrencyToken();
        b.Property(e => e.Title).HasMaxLength(Domain.Community.EventDetails.MaxTitle);
        b.Property(e => e.Description).HasMaxLength(Domain.Community.EventDetails.MaxDescription);
        b.Property(e => e.Place).HasMaxLength(Domain.Community.EventDetails.MaxPlace);
        b.Property(e => e.OnlineUrl).HasMaxLength(Domain.Community.EventDetails.MaxUrl);
        b.HasIndex(e => new { e.Host, e.HostId, e.StartsAt });
        b.HasIndex(e => new { e.RemindedAt, e.StartsAt });
        b.HasOne<PortalUser>().WithMany().HasForeignKey(e => e.CreatedById).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(e => e.Registrations).WithOne().HasForeignKey(r => r.EventId);
        b.Navigation(e => e.Registrations).HasField("_registrations").AutoInclude();
        b.Ignore(e => e.IsCancelled);
        b.Ignore(e => e.IsFull);
    }
}

internal sealed class EventRegistrationConfiguration : IEntityTypeConfiguration<EventRegistration>
{
    public void Configure(EntityTypeBuilder<EventRegistration> b)
    {
        b.HasIndex(r => new { r.EventId, r.UserId }).IsUnique();
        b.HasIndex(r => r.UserId);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(r => r.UserId);
        b.Ignore(r => r.IsActive);
    }
}
