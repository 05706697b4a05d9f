using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Networks;

namespace Portal.Web.Features;

public sealed record CampaignSummary(int Id, string Slug, string Name, string Network, Sector Sector, CampaignStatus Status,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, Money Target, Money Collected, long Solidons, int VotesCast)
{
    public double Progress => Target.Cents == 0 ? 0 : Math.Min(1, (double)Collected.Cents / Target.Cents);
}

/// <param name="TicketVotes">Of the votes cast, those cast with a ticket handed with a bill.</param>
public sealed record CampaignHeader(CampaignSummary Summary, bool LiveVotes, AllocationRule Rule, IReadOnlyList<CandidateProject> Candidates,
    VoterRule Voters = VoterRule.AccountsAndTickets, int TicketVotes = 0);

public sealed record CandidateProject(int Id, string Slug, string Name, string Summary, Money Requested);

public sealed record ProjectSummary(int Id, string Slug, string Name, string Summary, Sector Sector, Money Requested);

public sealed record ProjectDetail(ProjectSummary Summary, string Story, string Needs, IReadOnlyList<CampaignSummary> Campaigns,
    Money Funded, Money Repaid, Hours ConfirmedHours);

/// <summary>Read models of the public pages: no personal data, each a handful of queries.</summary>
public sealed class PublicQueries(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>How long a campaign page's header is reused (see <see cref="CampaignAsync"/>).</summary>
    public static readonly TimeSpan HeaderLifetime = TimeSpan.FromSeconds(1);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (CampaignHeader? Header, DateTimeOffset Until)> _headers = new();

    public async Task<IReadOnlyList<CampaignSummary>> CampaignsAsync(bool openOnly, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Campaigns.AsNoTracking().IgnoreAutoIncludes().Where(c => c.Status != CampaignStatus.Draft);
        if (openOnly) query = query.Where(c => c.Status == CampaignStatus.Open);
        var rows = await Summaries(db, query).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(c => c.Status).ThenByDescending(c => c.StartsAt)];
    }

    /// <summary>
    /// The header of a campaign's page. A crowd scanning an event's QR codes asks for the same one many times a
    /// second: it is read at most once per <see cref="HeaderLifetime"/>; the live figures come from the dashboard.
    /// </summary>
    public async Task<CampaignHeader?> CampaignAsync(string slug, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (_headers.TryGetValue(slug, out var cached) && cached.Until > now) return cached.Header;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var header = await CampaignBySlug(db, slug);
        if (_headers.Count > 1_000) _headers.Clear(); // slugs come from URLs: never let made-up ones pile up
        _headers[slug] = (header, now + HeaderLifetime);
        return header;
    }

    // The campaign page is the most visited of all (every QR code and share link leads there): one query, compiled
    // once, rather than a LINQ translation per render.
    private readonly Func<PortalDbContext, string, Task<CampaignHeader?>> CampaignBySlug = EF.CompileAsyncQuery(
        (PortalDbContext db, string slug) => db.Campaigns.AsNoTracking().IgnoreAutoIncludes()
            .Where(c => c.Slug == slug && c.Status != CampaignStatus.Draft)
            .Join(db.Networks, c => c.NetworkId, n => n.Id, (c, n) => new CampaignHeader(
                new CampaignSummary(c.Id, c.Slug, c.Name, n.Name, c.Sector, c.Status, c.StartsAt, c.EndsAt, c.Target,
                    new Money(c.CollectedCents), c.Solidons, c.VotesCast),
                c.LiveVotes,
                c.Rule,
                c.Candidates.OrderBy(x => x.Position)
                    .Join(db.Projects, x => x.ProjectId, p => p.Id, (x, p) => new CandidateProject(p.Id, p.Slug, p.Name, p.Summary, x.Requested))
                    .ToList(),
                c.Voters,
                c.TicketVotesCast))
            .SingleOrDefault());

    public async Task<IReadOnlyList<ProjectSummary>> ProjectsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Projects.AsNoTracking().OrderBy(p => p.Name)
            .Select(p => new ProjectSummary(p.Id, p.Slug, p.Name, p.Summary, p.Sector, p.Requested))
            .ToListAsync(cancellationToken);
    }

    public async Task<ProjectDetail?> ProjectAsync(string slug, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Slug == slug, cancellationToken);
        if (project is null) return null;
        var campaignIds = db.Candidates.Where(c => c.ProjectId == project.Id).Select(c => c.CampaignId);
        var campaigns = await Summaries(db, db.Campaigns.AsNoTracking().IgnoreAutoIncludes()
            .Where(c => campaignIds.Contains(c.Id) && c.Status != CampaignStatus.Draft)).ToListAsync(cancellationToken);
        var loans = await db.Loans.AsNoTracking().IgnoreAutoIncludes().Where(l => l.ProjectId == project.Id)
            .Select(l => new { l.Principal, l.CashRepaid, l.ConfirmedHours, l.Rate }).ToListAsync(cancellationToken);
        return new ProjectDetail(
            new ProjectSummary(project.Id, project.Slug, project.Name, project.Summary, project.Sector, project.Requested),
            project.Story, project.Needs, campaigns,
            new Money(loans.Sum(l => l.Principal.Cents)),
            new Money(loans.Sum(l => l.CashRepaid.Cents + l.ConfirmedHours.ValueAt(l.Rate).Cents)),
            new Hours(loans.Sum(l => l.ConfirmedHours.Quarters)));
    }

    private static IQueryable<CampaignSummary> Summaries(PortalDbContext db, IQueryable<Campaign> campaigns) =>
        campaigns.Join(db.Networks, c => c.NetworkId, n => n.Id, (c, n) => new CampaignSummary(
            c.Id, c.Slug, c.Name, n.Name, c.Sector, c.Status, c.StartsAt, c.EndsAt, c.Target, new Money(c.CollectedCents), c.Solidons, c.VotesCast));
}
