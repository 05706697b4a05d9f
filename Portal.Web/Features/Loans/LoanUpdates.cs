using Portal.Data;
using Portal.Domain.Common;
using Portal.Domain.Loans;
using Portal.Web.Features.Live;

namespace Portal.Web.Features.Loans;

/// <summary>
/// Repayment progress, live: when hours are confirmed or a plan changes, the pages showing that loan (the
/// entrepreneur's, the staff's) reload its figures. Same live path as the dashboards: domain events after commit.
/// </summary>
public sealed class LoanUpdates : IDomainEventPublisher
{
    public const int AnyLoan = 0;
    private readonly Subscribers<int> _byLoan = new();

    public void Publish(IReadOnlyList<IDomainEvent> events)
    {
        foreach (var loanId in events.Select(e => e switch
                 {
                     HoursConfirmed c => c.LoanId,
                     HoursDisputed d => d.LoanId,
                     HoursLogged l => l.LoanId,
                     LoanChanged l => l.LoanId,
                     _ => (int?)null,
                 }).OfType<int>().Distinct())
        {
            _ = _byLoan.NotifyAsync(loanId);
            _ = _byLoan.NotifyAsync(AnyLoan);
        }
    }

    /// <summary>Calls <paramref name="changed"/> when loan <paramref name="loanId"/> changes (<see cref="AnyLoan"/>: any).</summary>
    public IDisposable Subscribe(int loanId, Func<Task> changed) => _byLoan.Add(loanId, changed);
}
