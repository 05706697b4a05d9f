using Microsoft.EntityFrameworkCore;

namespace Portal.Data;

public static class Transactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction inside the context's execution strategy, so that a retrying
    /// strategy (SQL Server's <c>EnableRetryOnFailure</c>) can run the whole unit again after a transient fault; EF Core
    /// refuses a transaction opened outside one. Each attempt starts from an empty change tracker, so <paramref name="work"/>
    /// must read what it decides on again (it does: every caller loads, decides, then writes).
    /// </summary>
    public static Task InTransactionAsync(this PortalDbContext db, Func<CancellationToken, Task> work, CancellationToken cancellationToken = default) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            try
            {
                await work(ct);
                await transaction.CommitAsync(ct);
            }
            catch
            {
                // Said out loud rather than left to Dispose, so the events this attempt queued are dropped before the next one.
                try { await transaction.RollbackAsync(CancellationToken.None); }
                catch (Exception) { /* a broken connection cannot roll back; the first fault is the one to report */ }
                throw;
            }
        }, cancellationToken);
}

/// <summary>
/// SQLite lets one writer in at a time and makes the others retry with 150 ms sleeps: under load, waiting in line
/// in-process is far faster. Hot write paths enter this gate around their transaction; on SQL Server it lets everyone
/// through, since the server handles concurrent writers itself.
/// </summary>
public sealed class WriteGate(DatabaseSettings settings)
{
    private readonly SemaphoreSlim? _single = settings.Provider == DatabaseProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken = default)
    {
        if (_single is null) return Nothing.Instance;
        await _single.WaitAsync(cancellationToken);
        return new Release(_single);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;
        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();
        public void Dispose() { }
    }
}
