using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Common;
using Portal.Domain.Loans;

namespace Portal.Web.Features.Loans;

public sealed record LoanView(int LoanId, int Version, bool HasPlan, string Project, string Campaign, Money Principal, DateOnly DisbursedOn, Money CashShare,
    Money HoursShare, int HourlyRate, Money CashRepaid, Hours HoursPledged, Hours HoursPending, Hours HoursConfirmed,
    Money ConfirmedValue, Money Outstanding, RepaymentStatus Status, IReadOnlyList<ScheduledInstallment> Schedule,
    IReadOnlyList<CommitmentView> Commitments, IReadOnlyList<HoursLine> Entries, IReadOnlyList<PlanRevision> Revisions);

public sealed record CommitmentView(int Id, string Structure, string Skill, Hours Pledged);

public sealed record HoursLine(long Id, string Structure, DateOnly WorkedOn, Hours Hours, string Skill, string Description,
    HoursStatus Status, string? DisputeReason, string? Reply, DateTimeOffset LoggedAt);

/// <summary>Loans as their entrepreneur and the structures see them; every query is scoped to the actor.</summary>
public sealed class LoanQueries(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<LoanView>> ForEntrepreneurAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (actor.ProjectId is not { } projectId) return [];
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ViewsAsync(db, db.Loans.Where(l => l.ProjectId == projectId), cancellationToken);
    }

    /// <summary>Every loan, for the association's staff.</summary>
    public async Task<IReadOnlyList<LoanView>> ForStaffAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ViewsAsync(db, db.Loans, cancellationToken);
    }

    private async Task<IReadOnlyList<LoanView>> ViewsAsync(PortalDbContext db, IQueryable<Loan> query, CancellationToken cancellationToken)
    {
        var loans = await query.AsNoTracking().OrderByDescending(l => l.DisbursedOn).ToListAsync(cancellationToken);
        var names = await db.Beneficiaries.AsNoTracking().ToDictionaryAsync(b => b.Id, b => b.Name, cancellationToken);
        var projects = await db.Projects.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var campaignIds = loans.Select(l => l.CampaignId).ToList();
        var campaignNames = await db.Campaigns.IgnoreAutoIncludes().Where(c => campaignIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var loanIds = loans.Select(l => l.Id).ToList();
        var entries = await db.HoursEntries.AsNoTracking().Where(h => loanIds.Contains(h.LoanId)).OrderByDescending(h => h.WorkedOn).ToListAsync(cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetLocalNow().Date);
        return [.. loans.Select(l => new LoanView(l.Id, l.Version, l.HasPlan, projects[l.ProjectId], campaignNames[l.CampaignId], l.Principal, l.DisbursedOn, l.CashShare, l.HoursShare,
            l.Rate.Euros, l.CashRepaid, l.HoursPledgedTotal,
            new Hours(entries.Where(e => e.LoanId == l.Id && e.Status == HoursStatus.Pending).Sum(e => e.Hours.Quarters)),
            l.ConfirmedHours, l.ConfirmedHoursValue, l.Outstanding, l.StatusOn(today), l.ScheduleOn(today),
            [.. l.Commitments.Select(c => new CommitmentView(c.Id, names[c.BeneficiaryId], c.Skill, c.Pledged))],
            [.. entries.Where(e => e.LoanId == l.Id).Select(e => Line(e, names))],
            [.. l.Revisions.OrderBy(r => r.At)]))];
    }

    public async Task<IReadOnlyList<(HoursLine Line, string Project)>> ForStructureAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (actor.BeneficiaryId is not { } structureId) return [];
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var names = await db.Beneficiaries.AsNoTracking().Where(b => b.Id == structureId).ToDictionaryAsync(b => b.Id, b => b.Name, cancellationToken);
        var rows = await db.HoursEntries.AsNoTracking().Where(h => h.BeneficiaryId == structureId)
            .Join(db.Loans, h => h.LoanId, l => l.Id, (h, l) => new { Entry = h, l.ProjectId })
            .Join(db.Projects, x => x.ProjectId, p => p.Id, (x, p) => new { x.Entry, p.Name })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Entry.Status != HoursStatus.Pending).ThenByDescending(r => r.Entry.WorkedOn).Select(r => (Line(r.Entry, names), r.Name))];
    }

    private static HoursLine Line(HoursEntry e, IReadOnlyDictionary<int, string> names) =>
        new(e.Id, names[e.BeneficiaryId], e.WorkedOn, e.Hours, e.Skill, e.Description, e.Status, e.DisputeReason, e.Reply, e.LoggedAt);
}
