using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Campaigns;

namespace Portal.Web.Features.Live;

/// <summary>
/// Builds a snapshot from running totals in three indexed queries: its cost does not depend on how many ledger
/// entries or votes the campaign has.
/// </summary>
public sealed class SnapshotReader(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const int LeaderboardSize = 10;
    public const int RecentSize = 8;

    public async Task<CampaignSnapshot?> ReadAsync(int campaignId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var campaign = await db.Campaigns.AsNoTracking().IgnoreAutoIncludes().Where(c => c.Id == campaignId)
            .Select(c => new
            {
                c.Sequence, c.Status, c.Target, c.CollectedCents, c.Solidons, c.Entries, c.VotesCast, c.LiveVotes, c.StartsAt, c.EndsAt,
                Participating = db.EstablishmentTallies.Count(t => t.CampaignId == c.Id && t.CollectedCents > 0),
                Projects = c.Candidates.OrderBy(x => x.Position)
                    .Join(db.Projects, x => x.ProjectId, p => p.Id, (x, p) => new { x.ProjectId, p.Name, p.Slug, x.Votes, x.Allocated })
                    .ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (campaign is null) return null;

        var tallies = await db.EstablishmentTallies.AsNoTracking()
            .Where(t => t.CampaignId == campaignId && t.CollectedCents > 0)
            .OrderByDescending(t => t.CollectedCents).ThenBy(t => t.EstablishmentId)
            .Join(db.Establishments, t => t.EstablishmentId, e => e.Id, (t, e) => new LeaderboardRow(e.Id, e.Name, t.CollectedCents, t.Solidons))
            .Take(LeaderboardSize)
            .ToListAsync(cancellationToken);

        var recent = await db.Donations.AsNoTracking()
            .Where(d => d.CampaignId == campaignId)
            .OrderByDescending(d => d.Id)
            .Take(RecentSize)
            .Join(db.Establishments, d => d.EstablishmentId, e => e.Id,
                (d, e) => new { d.Id, d.LoggedAt, e.Name, d.AmountCents, d.Solidons, d.ReversesEntryId })
            .ToListAsync(cancellationToken);

        var votesVisible = campaign.LiveVotes || campaign.Status >= CampaignStatus.Closed;
        var now = clock.GetUtcNow();
        return new CampaignSnapshot(
            campaignId, campaign.Sequence, campaign.Status.ToString(), campaign.Target.Cents, campaign.CollectedCents,
            campaign.Solidons, campaign.Entries, campaign.Participating, tallies, votesVisible, campaign.VotesCast,
            campaign.Projects.Select(p => new ProjectStanding(p.ProjectId, p.Name, p.Slug, votesVisible ? p.Votes : null, p.Allocated.Cents)).ToList(),
            campaign.Status == CampaignStatus.Open ? Project(campaign.CollectedCents, campaign.StartsAt, campaign.EndsAt, now) : null,
            recent.Select(d => new ActivityItem(d.Id, d.LoggedAt, d.Name, d.AmountCents, d.Solidons, d.ReversesEntryId != null)).ToList(),
            now);
    }

    /// <summary>
    /// The final amount if collection goes on at the rate seen so far; none in the first hour, when the rate means little.
    /// </summary>
    public static long? Project(long collectedCents, DateTimeOffset startsAt, DateTimeOffset endsAt, DateTimeOffset now)
    {
        var elapsed = (now - startsAt).TotalSeconds;
        var total = (endsAt - startsAt).TotalSeconds;
        if (elapsed < 3600 || elapsed >= total) return null;
        return (long)Math.Round(collectedCents * (total / elapsed));
    }
}

/// <summary>
/// What a live dashboard shows of a campaign, as one message. <see cref="Version"/> is the campaign's sequence in the
/// database: it only grows, so a client keeps the highest version it has seen and drops anything older.
/// Amounts are in cents. No contributor's personal data is in it.
/// </summary>
public sealed record CampaignSnapshot(
    int CampaignId,
    long Version,
    string Status,
    long TargetCents,
    long CollectedCents,
    long Solidons,
    int Entries,
    int Establishments,
    IReadOnlyList<LeaderboardRow> Leaderboard,
    bool VotesVisible,
    int VotesCast,
    IReadOnlyList<ProjectStanding> Projects,
    long? ProjectedCents,
    IReadOnlyList<ActivityItem> Recent,
    DateTimeOffset TakenAt)
{
    public double Progress => TargetCents == 0 ? 0 : Math.Min(1.0, (double)CollectedCents / TargetCents);
}

public sealed record LeaderboardRow(int EstablishmentId, string Name, long CollectedCents, long Solidons);

/// <summary>Votes is null while the campaign hides its counts until close.</summary>
public sealed record ProjectStanding(int ProjectId, string Name, string Slug, int? Votes, long AllocatedCents);

public sealed record ActivityItem(long EntryId, DateTimeOffset At, string Establishment, long AmountCents, int Solidons, bool IsCorrection);
