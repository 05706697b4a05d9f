using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Identity;
using Portal.Domain.Networks;
using Portal.Domain.Projects;

namespace Portal.Data.Configurations;

internal sealed class NetworkConfiguration : IEntityTypeConfiguration<Network>
{
    public void Configure(EntityTypeBuilder<Network> b)
    {
        b.Property(n => n.Name).HasMaxLength(120);
        b.Property(n => n.Slug).HasMaxLength(140);
        b.Property(n => n.City).HasMaxLength(80);
        b.HasIndex(n => n.Slug).IsUnique();
    }
}

internal sealed class EstablishmentConfiguration : IEntityTypeConfiguration<Establishment>
{
    public void Configure(EntityTypeBuilder<Establishment> b)
    {
        b.Property(e => e.Name).HasMaxLength(120);
        b.Property(e => e.Slug).HasMaxLength(140);
        b.Property(e => e.Address).HasMaxLength(200);
        b.HasIndex(e => e.Slug).IsUnique();
        b.HasOne<Network>().WithMany().HasForeignKey(e => e.NetworkId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EstablishmentMemberConfiguration : IEntityTypeConfiguration<EstablishmentMember>
{
    public void Configure(EntityTypeBuilder<EstablishmentMember> b)
    {
        b.HasKey(m => new { m.EstablishmentId, m.UserId });
        b.HasOne<Establishment>().WithMany().HasForeignKey(m => m.EstablishmentId);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(m => m.UserId);
    }
}

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> b)
    {
        b.Property(p => p.Name).HasMaxLength(120);
        b.Property(p => p.Slug).HasMaxLength(140);
        b.Property(p => p.Summary).HasMaxLength(300);
        b.Property(p => p.Story).HasMaxLength(8000);
        b.Property(p => p.Needs).HasMaxLength(2000);
        b.HasIndex(p => p.Slug).IsUnique();
    }
}

internal sealed class BeneficiaryConfiguration : IEntityTypeConfiguration<BeneficiaryStructure>
{
    public void Configure(EntityTypeBuilder<BeneficiaryStructure> b)
    {
        b.ToTable("Beneficiaries");
        b.Property(s => s.Name).HasMaxLength(120);
        b.Property(s => s.Slug).HasMaxLength(140);
        b.Property(s => s.City).HasMaxLength(80);
        b.Property(s => s.Mission).HasMaxLength(500);
        b.HasIndex(s => s.Slug).IsUnique();
    }
}

internal sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>
{
    public void Configure(EntityTypeBuilder<PortalUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(100);
        b.Property(u => u.Culture).HasMaxLength(8);
        b.HasOne<Project>().WithMany().HasForeignKey(u => u.ProjectId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<BeneficiaryStructure>().WithMany().HasForeignKey(u => u.BeneficiaryId).OnDelete(DeleteBehavior.Restrict);
    }
}
