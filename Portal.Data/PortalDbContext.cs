using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Community;
using Portal.Domain.Loans;
using Portal.Domain.Networks;
using Portal.Domain.Projects;

namespace Portal.Data;

/// <summary>
/// The portal's unit of work. Each provider has a derived type (<see cref="SqlitePortalDbContext"/>,
/// <see cref="SqlServerPortalDbContext"/>) only so that each keeps its own migrations.
/// </summary>
public abstract class PortalDbContext(DbContextOptions options) : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    public DbSet<Network> Networks => Set<Network>();
    public DbSet<Establishment> Establishments => Set<Establishment>();
    public DbSet<EstablishmentMember> EstablishmentMembers => Set<EstablishmentMember>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<BeneficiaryStructure> Beneficiaries => Set<BeneficiaryStructure>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<CampaignCandidate> Candidates => Set<CampaignCandidate>();
    public DbSet<DonationEntry> Donations => Set<DonationEntry>();
    public DbSet<Vote> Votes => Set<Vote>();
    public DbSet<VoteTicket> VoteTickets => Set<VoteTicket>();
    public DbSet<Remittance> Remittances => Set<Remittance>();
    public DbSet<EstablishmentTally> EstablishmentTallies => Set<EstablishmentTally>();
    public DbSet<Loan> Loans => Set<Loan>();
    public DbSet<HoursEntry> HoursEntries => Set<HoursEntry>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ProjectNews> News => Set<ProjectNews>();
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<Follow> Follows => Set<Follow>();
    public DbSet<EmailFollow> EmailFollows => Set<EmailFollow>();
    public DbSet<ContactMessage> Messages => Set<ContactMessage>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<CommunityGroup> Groups => Set<CommunityGroup>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();
    public DbSet<GroupPost> GroupPosts => Set<GroupPost>();
    public DbSet<GroupProject> GroupProjects => Set<GroupProject>();
    public DbSet<CommunityEvent> Events => Set<CommunityEvent>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<OutboxEmail> OutboxEmails => Set<OutboxEmail>();
    /// <summary>ASP.NET Core's Data Protection key ring, shared by every node: a cookie or token made on one is read on all.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Events of this unit of work (from <see cref="CampaignWriter"/> and tracked aggregates), published once it commits.</summary>
    internal List<IDomainEvent> PendingEvents { get; } = [];

    // Contexts are pooled: whatever a unit of work left unpublished (it never committed) must not reach the next one.
    public override void Dispose()
    {
        PendingEvents.Clear();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        PendingEvents.Clear();
        return base.DisposeAsync();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    /// <summary>
    /// Identity shapes its tables by the schema version in the application's options (3: passkeys). A context made
    /// without the application (migrations at design time, tests) gets the portal's version from here, so every
    /// model is the same; the application's own contexts carry its options already.
    /// </summary>
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        if (optionsBuilder.Options.FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider is null)
            optionsBuilder.UseApplicationServiceProvider(IdentitySchema);
    }

    private static readonly IServiceProvider IdentitySchema = new ServiceCollection()
        .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = Identity.PortalIdentity.SchemaVersion).BuildServiceProvider();

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        configuration.Properties<Money>().HaveConversion<MoneyConverter>();
        configuration.Properties<Hours>().HaveConversion<HoursConverter>();
        configuration.Properties<HourlyRate>().HaveConversion<HourlyRateConverter>();
        configuration.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    private sealed class MoneyConverter() : ValueConverter<Money, long>(m => m.Cents, c => new Money(c));
    private sealed class HoursConverter() : ValueConverter<Hours, int>(h => h.Quarters, q => new Hours(q));
    private sealed class HourlyRateConverter() : ValueConverter<HourlyRate, int>(r => r.Euros, e => new HourlyRate(e));
}

public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        base.ConfigureConventions(configuration);
        // SQLite stores DateTimeOffset as text, which it can neither order nor compare: store UTC ticks instead.
        configuration.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

public sealed class SqlServerPortalDbContext(DbContextOptions<SqlServerPortalDbContext> options) : PortalDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Idempotency keys are compared as bytes, as the API and SQLite compare them: under SQL Server's default
        // case-insensitive collation "abc" and "ABC" would collide in the unique index and one write be answered by
        // the other's stored response.
        builder.Entity<IdempotencyRecord>().Property(r => r.Key).UseCollation("Latin1_General_100_BIN2");
    }
}

/// <summary>PostgreSQL: text compares case-sensitively under its default collation, as idempotency keys must.</summary>
public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options) : PortalDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        base.ConfigureConventions(configuration);
        // timestamptz holds instants, and Npgsql refuses a DateTimeOffset whose offset is not zero (a Paris campaign's
        // "from 1 December" is +01:00): every instant is written in UTC, and read back in UTC.
        configuration.Properties<DateTimeOffset>().HaveConversion<UtcInstant>();
    }

    private sealed class UtcInstant() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);
}
