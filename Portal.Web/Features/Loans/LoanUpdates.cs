using System.Collections.Concurrent;
using Portal.Data;
using Portal.Domain.Common;
using Portal.Domain.Loans;

namespace Portal.Web.Features.Loans;

/// <summary>
/// Repayment progress, live: when hours are confirmed or a plan changes, the pages showing that loan (the
/// entrepreneur's, the staff's) reload its figures. Same live path as the dashboards: domain events after commit.
/// </summary>
public sealed class LoanUpdates : IDomainEventPublisher
{
    public const int AnyLoan = 0;
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<Guid, Func<Task>>> _byLoan = new();

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
            _ = NotifyAsync(loanId);
            _ = NotifyAsync(AnyLoan);
        }
    }

    /// <summary>Calls <paramref name="changed"/> when loan <paramref name="loanId"/> changes (<see cref="AnyLoan"/>: any).</summary>
    public IDisposable Subscribe(int loanId, Func<Task> changed)
    {
        var id = Guid.NewGuid();
        _byLoan.GetOrAdd(loanId, _ => new())[id] = changed;
        return new Subscription(() => { if (_byLoan.TryGetValue(loanId, out var subs)) subs.TryRemove(id, out _); });
    }

    private async Task NotifyAsync(int loanId)
    {
        if (!_byLoan.TryGetValue(loanId, out var subscribers)) return;
        foreach (var changed in subscribers.Values)
        {
            try { await changed(); }
            catch (ObjectDisposedException) { /* that circuit is gone */ }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
