using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Identity;
using Portal.Domain.Community;
using Portal.Domain.Projects;

namespace Portal.Data.Configurations;

internal sealed class NewsConfiguration : IEntityTypeConfiguration<ProjectNews>
{
    public void Configure(EntityTypeBuilder<ProjectNews> b)
    {
        b.ToTable("ProjectNews");
        b.Property(n => n.Title).HasMaxLength(150);
        b.Property(n => n.Markdown).HasMaxLength(ProjectNews.MaxBody);
        b.HasOne<Project>().WithMany().HasForeignKey(n => n.ProjectId);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(n => n.AuthorId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(n => new { n.ProjectId, n.PublishedAt });
    }
}

internal sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> b)
    {
        b.Property(c => c.AuthorName).HasMaxLength(100);
        b.Property(c => c.Text).HasMaxLength(Comment.MaxLength);
        b.HasOne<Project>().WithMany().HasForeignKey(c => c.ProjectId);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.AuthorId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => new { c.ProjectId, c.PostedAt });
        b.HasIndex(c => new { c.AuthorId, c.PostedAt });
    }
}

internal sealed class EmailFollowConfiguration : IEntityTypeConfiguration<EmailFollow>
{
    public void Configure(EntityTypeBuilder<EmailFollow> b)
    {
        b.Property(f => f.Email).HasMaxLength(EmailFollow.MaxEmailLength);
        b.Property(f => f.Site).HasMaxLength(200);
        // A project's followers for its news; an address's requests of the last hour for the rate limit.
        b.HasIndex(f => new { f.ProjectId, f.ConfirmedAt });
        b.HasIndex(f => new { f.Email, f.RequestedAt });
        b.HasOne<Project>().WithMany().HasForeignKey(f => f.ProjectId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(f => f.IsActive);
    }
}

internal sealed class FollowConfiguration : IEntityTypeConfiguration<Follow>
{
    public void Configure(EntityTypeBuilder<Follow> b)
    {
        b.HasIndex(f => new { f.UserId, f.Kind, f.TargetId }).IsUnique();
        b.HasIndex(f => new { f.Kind, f.TargetId });
        b.HasOne<PortalUser>().WithMany().HasForeignKey(f => f.UserId);
    }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<ContactMessage>
{
    public void Configure(EntityTypeBuilder<ContactMessage> b)
    {
        b.ToTable("ContactMessages");
        b.Property(m => m.ContributorName).HasMaxLength(100);
        b.Property(m => m.Text).HasMaxLength(ContactMessage.MaxLength);
        b.HasOne<Project>().WithMany().HasForeignKey(m => m.ProjectId);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(m => m.ContributorId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(m => new { m.ProjectId, m.ContributorId, m.SentAt });
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.Property(n => n.Subject).HasMaxLength(200);
        b.Property(n => n.Url).HasMaxLength(300);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(n => n.UserId);
        b.HasIndex(n => new { n.UserId, n.ReadAt });
        b.HasIndex(n => new { n.EmailedAt, n.CreatedAt });
    }
}
