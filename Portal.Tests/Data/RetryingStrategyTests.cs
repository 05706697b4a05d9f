using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Campaigns;
using Portal.Tests.Support;
using Portal.Web.Features.Campaigns;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Votes;

namespace Portal.Tests.Data;

/// <summary>
/// SQL Server runs with a retrying execution strategy, which refuses a transaction opened outside it. Here the real
/// portal runs on SQLite with such a strategy and a commit that fails once, transiently: every write path must
/// run inside the strategy, be run again whole, and count once.
/// </summary>
[Trait("Engine", "Sqlite")] // SQLite itself is under test here; the PostgreSQL pass skips it
public class RetryingStrategyTests(RetryingPortalFactory app) : IClassFixture<RetryingPortalFactory>
{
    [Fact]
    public async Task A_donation_a_vote_a_correction_a_remittance_and_a_lifecycle_step_each_survive_a_failed_commit_and_count_once()
    {
        await EveryWritePathCountsOnceAsync(app, app.FaultOnce);
        Assert.Equal(5, app.Faults.Injected);
    }

    /// <summary>
    /// One of each write a dashboard shows, each through <paramref name="around"/> (which may fail its commit once),
    /// then the ledger, tallies, votes and status read back: each counted once.
    /// </summary>
    internal static async Task EveryWritePathCountsOnceAsync(PortalAppFactory app, Func<Func<Task>, Task> around)
    {
        var w = await TestWorld.CreateAsync(app);
        var contributor = await w.ContributorAsync(app);
        var ledger = app.Get<DonationLedger>();

        DonationEntry entry = null!;
        await around(async () => entry = await ledger.LogAsync(w.MerchantA, new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 30m, Solidons = 20 }));
        await around(() => app.Get<VoteService>().CastAsync(contributor, new CastVote(w.CampaignId, w.ProjectA, null)));
        var second = await ledger.LogAsync(w.MerchantA, new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 10m, Solidons = 8 });
        await around(() => ledger.ReverseAsync(w.MerchantA, new ReverseDonation { EntryId = second.Id, Reason = "Saisie en double" }));
        await around(() => app.Get<RemittanceService>().RecordAsync(w.MerchantA,
            new RecordRemittance { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 20m, RemittedOn = DateTime.Today, Reference = "VIR-1" }));
        await using (var read = app.CreateDbContext())
        {
            var version = (await read.Campaigns.AsNoTracking().SingleAsync(c => c.Id == w.CampaignId)).Version;
            await around(() => app.Get<CampaignLifecycle>().CloseAsync(w.Admin, w.CampaignId, version));
        }

        await using var db = app.CreateDbContext();
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == w.CampaignId);
        Assert.Equal((3000L, 1, CampaignStatus.Closed), (campaign.CollectedCents, campaign.VotesCast, campaign.Status));
        Assert.Equal(3, await db.Donations.CountAsync(d => d.CampaignId == w.CampaignId));
        Assert.Single(await db.Donations.Where(d => d.ReversesEntryId == second.Id).ToListAsync());
        Assert.Single(await db.Remittances.Where(r => r.CampaignId == w.CampaignId).ToListAsync());
        Assert.Equal(2000, (await db.EstablishmentTallies.SingleAsync(t => t.CampaignId == w.CampaignId && t.EstablishmentId == w.EstablishmentA)).RemittedCents);
        Assert.Single(await db.Votes.Where(v => v.CampaignId == w.CampaignId).ToListAsync());
        Assert.Equal(entry.Id, (await db.Donations.OrderBy(d => d.Id).FirstAsync(d => d.CampaignId == w.CampaignId)).Id);
    }
}

/// <summary>The portal on SQLite with a retrying execution strategy and a commit fault that can be armed once.</summary>
public sealed class RetryingPortalFactory : PortalAppFactory
{
    public RetryingPortalFactory() : base("Testing") { }

    public CommitFault Faults { get; } = new();

    /// <summary>Runs <paramref name="write"/> with the next commit failing transiently; fails if no commit was attempted.</summary>
    public async Task FaultOnce(Func<Task> write)
    {
        var before = Faults.Injected;
        Faults.Armed = true;
        await write();
        Assert.Equal(before + 1, Faults.Injected);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.ConfigureDbContext<SqlitePortalDbContext>(o => o
            .UseSqlite(s => s.ExecutionStrategy(d => new RetryOnInjectedFault(d)))
            .AddInterceptors(Faults)));
    }

    public sealed class CommitFault : DbTransactionInterceptor
    {
        private int _armed, _injected;
        public bool Armed { set => Volatile.Write(ref _armed, value ? 1 : 0); }
        public int Injected => Volatile.Read(ref _injected);

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                Interlocked.Increment(ref _injected);
                throw new InjectedFault();
            }
            return ValueTask.FromResult(result);
        }
    }

    public sealed class InjectedFault() : Exception("A transient fault injected at commit.");

    private sealed class RetryOnInjectedFault(ExecutionStrategyDependencies dependencies)
        : ExecutionStrategy(dependencies, maxRetryCount: 3, maxRetryDelay: TimeSpan.FromMilliseconds(20))
    {
        protected override bool ShouldRetryOn(Exception exception) => exception is InjectedFault;
    }
}
