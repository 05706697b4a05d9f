using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Loans;

namespace Portal.Web.Features.Transparency;

public sealed record CampaignFunds(string Name, string Slug, CampaignStatus Status, Money Collected,
    IReadOnlyList<(string Establishment, Money Collected)> ByEstablishment, IReadOnlyList<(string Project, Money Amount)> Allocated,
    Money Unallocated, Money NotYetAllocated);

public sealed record LoanFunds(string Project, string Campaign, Money Principal, Money CashRepaid, Hours ConfirmedHours,
    Money HoursValue, Money Outstanding, IReadOnlyList<(string Structure, Hours Hours)> ByStructure);

/// <summary>
/// The chain of funds: solidons per establishment -> pot -> funded projects -> repayments in euros and confirmed hours
/// -> beneficiary structures. Public, with no contributor's personal data. <see cref="AddsUp"/> checks the two identities
/// the association promises: every euro collected is allocated, kept unallocated or not yet allocated; every loan's
/// principal is cash repaid plus confirmed hours plus what remains.
/// </summary>
public sealed record ChainOfFunds(IReadOnlyList<CampaignFunds> Campaigns, IReadOnlyList<LoanFunds> Loans)
{
    public Money Collected => Sum(Campaigns.Select(c => c.Collected));
    public Money Allocated => Sum(Campaigns.SelectMany(c => c.Allocated.Select(a => a.Amount)));
    public Money Unallocated => Sum(Campaigns.Select(c => c.Unallocated));
    public Money NotYetAllocated => Sum(Campaigns.Select(c => c.NotYetAllocated));
    public Money Lent => Sum(Loans.Select(l => l.Principal));
    public Money CashRepaid => Sum(Loans.Select(l => l.CashRepaid));
    public Money HoursValue => Sum(Loans.Select(l => l.HoursValue));
    public Money Outstanding => Sum(Loans.Select(l => l.Outstanding));
    public Hours ConfirmedHours => new(Loans.Sum(l => l.ConfirmedHours.Quarters));

    public bool AddsUp =>
        Collected == Allocated + Unallocated + NotYetAllocated
        && Lent == CashRepaid + HoursValue + Outstanding
        && Campaigns.All(c => c.Collected == Sum(c.ByEstablishment.Select(e => e.Collected)));

    private static Money Sum(IEnumerable<Money> amounts) => new(amounts.Sum(m => m.Cents));
}

public sealed class ChainOfFundsQuery(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <param name="campaignSlug">One campaign's chain, or the whole association's when null.</param>
    public async Task<ChainOfFunds?> ReadAsync(string? campaignSlug, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var campaigns = await db.Campaigns.AsNoTracking()
            .Where(c => c.Status != CampaignStatus.Draft && (campaignSlug == null || c.Slug == campaignSlug))
            .OrderBy(c => c.StartsAt).ToListAsync(cancellationToken);
        if (campaignSlug is not null && campaigns.Count == 0) return null;
        var ids = campaigns.Select(c => c.Id).ToList();
        var projects = await db.Projects.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var structures = await db.Beneficiaries.AsNoTracking().ToDictionaryAsync(b => b.Id, b => b.Name, cancellationToken);
        var tallies = await db.EstablishmentTallies.AsNoTracking().Where(t => ids.Contains(t.CampaignId) && t.CollectedCents != 0)
            .Join(db.Establishments, t => t.EstablishmentId, e => e.Id, (t, e) => new { t.CampaignId, e.Name, t.CollectedCents })
            .ToListAsync(cancellationToken);
        var loans = await db.Loans.AsNoTracking().Where(l => ids.Contains(l.CampaignId)).ToListAsync(cancellationToken);
        var loanIds = loans.Select(l => l.Id).ToList();
        var hours = await db.HoursEntries.AsNoTracking().Where(h => loanIds.Contains(h.LoanId) && h.Status == HoursStatus.Confirmed)
            .Select(h => new { h.LoanId, h.BeneficiaryId, h.Hours }).ToListAsync(cancellationToken);

        return new ChainOfFunds(
            [.. campaigns.Select(c => new CampaignFunds(c.Name, c.Slug, c.Status, c.Collected,
                [.. tallies.Where(t => t.CampaignId == c.Id).OrderByDescending(t => t.CollectedCents).Select(t => (t.Name, new Money(t.CollectedCents)))],
                c.Status >= CampaignStatus.Allocated
                    ? [.. c.Candidates.Where(x => x.Allocated.IsPositive).Select(x => (projects[x.ProjectId], x.Allocated))]
                    : [],
                c.Status >= CampaignStatus.Allocated ? c.Unallocated : Money.Zero,
                c.Status >= CampaignStatus.Allocated ? Money.Zero : c.Collected))],
            [.. loans.Select(l => new LoanFunds(projects[l.ProjectId], campaigns.Single(c => c.Id == l.CampaignId).Name, l.Principal, l.CashRepaid,
                l.ConfirmedHours, l.ConfirmedHoursValue, l.Outstanding,
                [.. hours.Where(h => h.LoanId == l.Id).GroupBy(h => h.BeneficiaryId)
                    .Select(g => (structures[g.Key], new Hours(g.Sum(h => h.Hours.Quarters))))]))]);
    }
}
