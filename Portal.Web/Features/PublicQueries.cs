using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Networks;

namespace Portal.Web.Features;

public sealed record CampaignSummary(int Id, string Slug, string Name, string Network, Sector Sector, CampaignStatus Status,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, Money Target, Money Collected, int Solidons, int VotesCast)
{
    public double Progress => Target.Cents == 0 ? 0 : Math.Min(1, (double)Collected.Cents / Target.Cents);
}

public sealed record CampaignHeader(CampaignSummary Summary, bool LiveVotes, AllocationRule Rule, IReadOnlyList<CandidateProject> Candidates);

public sealed record CandidateProject(int Id, string Slug, string Name, string Summary, Money Requested);

public sealed record ProjectSummary(int Id, string Slug, string Name, string Summary, Sector Sector, Money Requested);

public sealed record ProjectDetail(ProjectSummary Summary, string Story, string Needs, IReadOnlyList<CampaignSummary> Campaigns,
    Money Funded, Money Repaid, Hours ConfirmedHours);

/// <summary>Read models of the public pages: no personal data, each a handful of queries.</summary>
public sealed class PublicQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<CampaignSummary>> CampaignsAsync(bool openOnly, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Campaigns.AsNoTracking().IgnoreAutoIncludes().Where(c => c.Status != CampaignStatus.Draft);
        if (openOnly) query = query.Where(c => c.Status == CampaignStatus.Open);
        var rows = await Summaries(db, query).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(c => c.Status).ThenByDescending(c => c.StartsAt)];
    }

    public async Task<CampaignHeader?> CampaignAsync(string slug, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var summary = await Summaries(db, db.Campaigns.AsNoTracking().IgnoreAutoIncludes().Where(c => c.Slug == slug && c.Status != CampaignStatus.Draft))
            .SingleOrDefaultAsync(cancellationToken);
        if (summary is null) return null;
        var options = await db.Campaigns.AsNoTracking().IgnoreAutoIncludes().Where(c => c.Id == summary.Id)
            .Select(c => new
            {
                c.LiveVotes,
                c.Rule,
                Candidates = c.Candidates.OrderBy(x => x.Position)
                    .Join(db.Projects, x => x.ProjectId, p => p.Id, (x, p) => new CandidateProject(p.Id, p.Slug, p.Name, p.Summary, x.Requested))
                    .ToList(),
            })
            .SingleAsync(cancellationToken);
        return new CampaignHeader(summary, options.LiveVotes, options.Rule, options.Candidates);
    }

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
