using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Networks;
using Portal.Domain.Projects;

namespace Portal.Data.Configurations;

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> b)
    {
        b.Property(c => c.Name).HasMaxLength(120);
        b.Property(c => c.Slug).HasMaxLength(140);
        b.HasIndex(c => c.Slug).IsUnique();
        b.Property(c => c.Version).IsConcurrencyToken();
        b.HasOne<Network>().WithMany().HasForeignKey(c => c.NetworkId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(c => c.Candidates).WithOne().HasForeignKey(c => c.CampaignId);
        b.Navigation(c => c.Candidates).AutoInclude();
        b.Ignore(c => c.DomainEvents);
        b.Ignore(c => c.VotesVisible);
        b.Ignore(c => c.Collected);
    }
}

internal sealed class CandidateConfiguration : IEntityTypeConfiguration<CampaignCandidate>
{
    public void Configure(EntityTypeBuilder<CampaignCandidate> b)
    {
        b.ToTable("CampaignCandidates");
        b.HasKey(c => new { c.CampaignId, c.ProjectId });
        b.HasOne<Project>().WithMany().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DonationEntryConfiguration : IEntityTypeConfiguration<DonationEntry>
{
    public void Configure(EntityTypeBuilder<DonationEntry> b)
    {
        b.ToTable("DonationEntries");
        b.Property(d => d.LoggedBy).HasMaxLength(450);
        b.Property(d => d.Reason).HasMaxLength(300);
        b.HasOne<Campaign>().WithMany().HasForeignKey(d => d.CampaignId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Establishment>().WithMany().HasForeignKey(d => d.EstablishmentId).OnDelete(DeleteBehavior.Restrict);
        // An entry is reversed at most once: the database says so too.
        b.HasIndex(d => d.ReversesEntryId).IsUnique();
        // A place's entries in order (its history, its till export), and the campaign's newest ones (the live
        // feed) without sorting the whole ledger: each query walks its own index from the end.
        b.HasIndex(d => new { d.EstablishmentId, d.CampaignId, d.Id });
        b.HasIndex(d => new { d.CampaignId, d.Id });
        b.Ignore(d => d.IsReversal);
        b.Ignore(d => d.Amount);
    }
}

internal sealed class VoteConfiguration : IEntityTypeConfiguration<Vote>
{
    public void Configure(EntityTypeBuilder<Vote> b)
    {
        // One counted vote per contributor per campaign, enforced by the database as well as the domain.
        b.HasIndex(v => new { v.CampaignId, v.ContributorId }).IsUnique();
        // A ticket votes once too (a ticket belongs to one campaign).
        b.HasIndex(v => v.TicketId).IsUnique();
        b.HasOne<VoteTicket>().WithMany().HasForeignKey(v => v.TicketId).OnDelete(DeleteBehavior.Restrict);
        // A move is decided on the vote as read: two nodes moving one person's vote at once would both apply their
        // deltas to the candidates. The count of changes makes the second move fail, to be decided again.
        b.Property(v => v.Changes).IsConcurrencyToken();
        b.HasOne<Campaign>().WithMany().HasForeignKey(v => v.CampaignId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(v => v.ContributorId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Establishment>().WithMany().HasForeignKey(v => v.ViaEstablishmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<CampaignCandidate>().WithMany().HasForeignKey(v => new { v.CampaignId, v.ProjectId }).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class VoteTicketConfiguration : IEntityTypeConfiguration<VoteTicket>
{
    public void Configure(EntityTypeBuilder<VoteTicket> b)
    {
        b.Property(t => t.Code).HasMaxLength(TicketCode.Length).IsUnicode(false);
        b.HasIndex(t => t.Code).IsUnique();
        // Each place's tickets in a campaign, counted for the reconciliation.
        b.HasIndex(t => new { t.CampaignId, t.EstablishmentId });
        b.HasOne<Campaign>().WithMany().HasForeignKey(t => t.CampaignId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Establishment>().WithMany().HasForeignKey(t => t.EstablishmentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RemittanceConfiguration : IEntityTypeConfiguration<Remittance>
{
    public void Configure(EntityTypeBuilder<Remittance> b)
    {
        b.Property(r => r.Reference).HasMaxLength(100);
        b.Ignore(r => r.Amount);
        b.Property(r => r.RecordedBy).HasMaxLength(450);
        b.HasOne<Campaign>().WithMany().HasForeignKey(r => r.CampaignId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Establishment>().WithMany().HasForeignKey(r => r.EstablishmentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EstablishmentTallyConfiguration : IEntityTypeConfiguration<EstablishmentTally>
{
    public void Configure(EntityTypeBuilder<EstablishmentTally> b)
    {
        b.HasKey(t => new { t.CampaignId, t.EstablishmentId });
        b.HasOne<Campaign>().WithMany().HasForeignKey(t => t.CampaignId);
        b.HasOne<Establishment>().WithMany().HasForeignKey(t => t.EstablishmentId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(t => t.Outstanding);
        b.Ignore(t => t.Collected);
        b.Ignore(t => t.Remitted);
    }
}
