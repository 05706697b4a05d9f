using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Networks;

namespace Portal.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.Property(k => k.Name).HasMaxLength(80);
        b.Property(k => k.Prefix).HasMaxLength(16);
        b.Property(k => k.SecretHash).HasMaxLength(32);
        b.Property(k => k.CreatedBy).HasMaxLength(450);
        b.HasIndex(k => k.Prefix).IsUnique();
        b.HasOne<Establishment>().WithMany().HasForeignKey(k => k.EstablishmentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.Property(r => r.Key).HasMaxLength(255);
        b.Property(r => r.RequestHash).HasMaxLength(32);
        b.HasIndex(r => new { r.ApiKeyId, r.Key }).IsUnique();
        b.HasIndex(r => r.CreatedAt);
        b.HasOne<ApiKey>().WithMany().HasForeignKey(r => r.ApiKeyId);
    }
}

internal sealed class OutboxEmailConfiguration : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> b)
    {
        b.ToTable("OutboxEmails");
        b.Property(e => e.To).HasMaxLength(256);
        b.Property(e => e.Subject).HasMaxLength(300);
        b.Property(e => e.LastError).HasMaxLength(500);
        // The worker's question: what is unsent and due.
        b.HasIndex(e => new { e.SentAt, e.NextAttemptAt });
    }
}
