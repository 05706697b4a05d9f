using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Campaigns;
using Portal.Domain.Loans;
using Portal.Domain.Projects;

namespace Portal.Data.Configurations;

internal sealed class LoanConfiguration : IEntityTypeConfiguration<Loan>
{
    public void Configure(EntityTypeBuilder<Loan> b)
    {
        b.Property(l => l.Version).IsConcurrencyToken();
        b.HasIndex(l => new { l.CampaignId, l.ProjectId }).IsUnique();
        b.HasOne<Campaign>().WithMany().HasForeignKey(l => l.CampaignId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Project>().WithMany().HasForeignKey(l => l.ProjectId).OnDelete(DeleteBehavior.Restrict);
        b.OwnsMany(l => l.Schedule, s => s.ToJson());
        b.HasMany(l => l.Revisions).WithOne().HasForeignKey(r => r.LoanId);
        b.HasMany(l => l.Repayments).WithOne().HasForeignKey(r => r.LoanId);
        b.HasMany(l => l.Commitments).WithOne().HasForeignKey(c => c.LoanId);
        b.Navigation(l => l.Revisions).AutoInclude();
        b.Navigation(l => l.Repayments).AutoInclude();
        b.Navigation(l => l.Commitments).AutoInclude();
        b.Ignore(l => l.DomainEvents);
        b.Ignore(l => l.ConfirmedHoursValue);
        b.Ignore(l => l.Outstanding);
        b.Ignore(l => l.CashOwed);
        b.Ignore(l => l.HoursPledgedTotal);
        b.Ignore(l => l.HoursOwed);
    }
}

internal sealed class PlanRevisionConfiguration : IEntityTypeConfiguration<PlanRevision>
{
    public void Configure(EntityTypeBuilder<PlanRevision> b)
    {
        b.ToTable("LoanPlanRevisions");
        b.Property(r => r.Reason).HasMaxLength(300);
        b.Property(r => r.By).HasMaxLength(450);
    }
}

internal sealed class CashRepaymentConfiguration : IEntityTypeConfiguration<CashRepayment>
{
    public void Configure(EntityTypeBuilder<CashRepayment> b) => b.ToTable("LoanCashRepayments");
}

internal sealed class CommitmentConfiguration : IEntityTypeConfiguration<VolunteerCommitment>
{
    public void Configure(EntityTypeBuilder<VolunteerCommitment> b)
    {
        b.ToTable("VolunteerCommitments");
        b.Property(c => c.Skill).HasMaxLength(100);
        b.HasOne<BeneficiaryStructure>().WithMany().HasForeignKey(c => c.BeneficiaryId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class HoursEntryConfiguration : IEntityTypeConfiguration<HoursEntry>
{
    public void Configure(EntityTypeBuilder<HoursEntry> b)
    {
        b.Property(h => h.Version).IsConcurrencyToken();
        b.Property(h => h.Skill).HasMaxLength(100);
        b.Property(h => h.Description).HasMaxLength(1000);
        b.Property(h => h.DisputeReason).HasMaxLength(500);
        b.Property(h => h.Reply).HasMaxLength(1000);
        b.HasOne<Loan>().WithMany().HasForeignKey(h => h.LoanId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<VolunteerCommitment>().WithMany().HasForeignKey(h => h.CommitmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<BeneficiaryStructure>().WithMany().HasForeignKey(h => h.BeneficiaryId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(h => new { h.BeneficiaryId, h.Status });
    }
}
