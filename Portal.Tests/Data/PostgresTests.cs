using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Networks;
using Portal.Tests.Support;
using Portal.Web.Features.Admin;
using Portal.Web.Features.Campaigns;

namespace Portal.Tests.Data;

/// <summary>
/// The real portal on a real PostgreSQL server (Debian's, on loopback), with Npgsql's retrying execution strategy as
/// in production: its migrations apply, every write path runs inside the strategy and counts once, instants keep
/// their moment whatever their offset, and the back office works on it.
/// </summary>
public class PostgresTests(PostgresPortalFactory app) : IClassFixture<PostgresPortalFactory>
{
    [Fact]
    public async Task The_migrations_apply_and_match_the_model()
    {
        await using var db = app.CreateDbContext();
        Assert.True(db.Database.IsNpgsql());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "Run ./migrations.sh <Name>: the PostgreSQL migrations lag behind the model.");
        Assert.IsType<Npgsql.EntityFrameworkCore.PostgreSQL.NpgsqlRetryingExecutionStrategy>(db.Database.CreateExecutionStrategy());
    }

    [Fact]
    public Task Every_write_path_runs_inside_the_retrying_strategy_and_counts_once() =>
        RetryingStrategyTests.EveryWritePathCountsOnceAsync(app, write => write());

    [Fact]
    public async Task A_campaign_period_given_in_Paris_time_is_stored_as_the_same_instants()
    {
        var w = await TestWorld.CreateAsync(app);
        var paris = TimeSpan.FromHours(1);
        var starts = new DateTimeOffset(2027, 1, 1, 0, 0, 0, paris);
        var ends = new DateTimeOffset(2027, 1, 31, 23, 59, 59, paris);
        var id = await app.Get<CampaignLifecycle>().CreateAsync(w.Admin, Campaign.Draft($"Hiver {Guid.NewGuid():N}"[..20], w.NetworkId, Sector.Food, starts, ends,
            Money.FromEuros(1_000), [(w.ProjectA, Money.FromEuros(500)), (w.ProjectB, Money.FromEuros(800))]));

        await using var db = app.CreateDbContext();
        var stored = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == id);
        Assert.Equal((starts, ends), (stored.StartsAt, stored.EndsAt));
        Assert.Equal(TimeSpan.Zero, stored.StartsAt.Offset);
    }

    [Fact]
    public async Task The_back_office_edits_archives_and_searches_on_PostgreSQL()
    {
        var w = await TestWorld.CreateAsync(app);
        var catalog = app.Get<Catalog>();
        await catalog.EditAsync(w.Admin, CatalogKind.Establishment, w.EstablishmentB, new NamedInput { Name = $"Épicerie {w.EstablishmentB}", Place = "Croix-Rousse" });
        await catalog.SetArchivedAsync(w.Admin, CatalogKind.Establishment, w.EstablishmentB, true);

        var row = Assert.Single(await catalog.ListAsync(w.Admin, CatalogKind.Establishment), r => r.Id == w.EstablishmentB);
        Assert.True(row.Archived && row.Matches("epicerie"));
        Assert.Contains(await app.Get<Accounts>().ListAsync(w.Admin, "a-"), a => a.Id == w.MerchantA.UserId);
    }
}
