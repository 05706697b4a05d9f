using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;

namespace Portal.Web.Features.Admin;

public sealed record AdminCampaign(int Id, string Name, string Slug, string Network, CampaignStatus Status, int Version,
    Money Collected, int VotesCast, IReadOnlyList<AllocationLine> Allocation, Money Unallocated);

/// <summary>What the rule gives (or gave) each project: a preview while open or closed, the frozen result after.</summary>
public sealed record AllocationLine(string Project, int Votes, Money Amount);

public sealed class AdminQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<AdminCampaign>> CampaignsAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var campaigns = await db.Campaigns.AsNoTracking().OrderByDescending(c => c.Id).ToListAsync(cancellationToken);
        var networks = await db.Networks.AsNoTracking().ToDictionaryAsync(n => n.Id, n => n.Name, cancellationToken);
        var projects = await db.Projects.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        return [.. campaigns.Select(c =>
        {
            var frozen = c.Status >= CampaignStatus.Allocated;
            var preview = frozen ? null : c.PreviewAllocation();
            var lines = c.Candidates.OrderBy(x => x.Position)
                .Select(x => new AllocationLine(projects[x.ProjectId], x.Votes, frozen ? x.Allocated : preview!.ByProject[x.ProjectId])).ToList();
            return new AdminCampaign(c.Id, c.Name, c.Slug, networks[c.NetworkId], c.Status, c.Version, c.Collected, c.VotesCast, lines,
                frozen ? c.Unallocated : preview!.Unallocated);
        })];
    }
}
