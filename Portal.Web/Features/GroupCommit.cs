using System.Threading.Channels;

namespace Portal.Web.Features;

/// <summary>
/// Group commit. Concurrent writes wait in one queue; a single drainer hands everything waiting (up to
/// <see cref="MaxBatch"/>) to <c>commitTogether</c>, which writes them in one transaction and completes each write once
/// it has committed. If that transaction fails, each write of the batch is committed alone, so one bad write cannot
/// sink the others; a write that fails alone gets its exception through <c>fail</c>. With SQLite, whose writers take
/// turns anyway, this turns a queue of one-row transactions into few larger ones: the commit is the costly part.
/// </summary>
public sealed class GroupCommit<T>(Func<IReadOnlyList<T>, Task> commitTogether, Action<T, Exception> fail, ILogger logger)
{
    /// <summary>The most writes in one transaction: enough to absorb a burst, small enough to keep commits short.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>(new() { SingleReader = true });
    private int _draining;

    /// <summary>
    /// Queues <paramref name="write"/>. When no drainer is running, the caller commits the waiting batch itself (a lone
    /// writer pays no hop to the thread pool, which is busy when thousands of dashboards are being served), then hands
    /// whatever arrived meanwhile to a background drainer, so that no caller waits long on others' writes.
    /// </summary>
    public Task EnqueueAsync(T write)
    {
        _queue.Writer.TryWrite(write);
        return Interlocked.CompareExchange(ref _draining, 1, 0) == 0 ? DrainAsync(inline: true) : Task.CompletedTask;
    }

    private async Task DrainAsync(bool inline)
    {
        var batch = new List<T>(MaxBatch);
        while (true)
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write)) batch.Add(write);
            if (batch.Count == 0)
            {
                Volatile.Write(ref _draining, 0);
                // A write may have arrived between the last read and the release: take it unless another drainer did.
                if (!_queue.Reader.TryPeek(out _) || Interlocked.CompareExchange(ref _draining, 1, 0) != 0) return;
                continue;
            }
            await CommitAsync(batch);
            batch.Clear();
            if (inline && _queue.Reader.TryPeek(out _))
            {
                _ = Task.Run(() => DrainAsync(inline: false));
                return;
            }
        }
    }

    private async Task CommitAsync(List<T> batch)
    {
        try
        {
            await commitTogether(batch);
        }
        catch (Exception e) when (batch.Count > 1)
        {
            logger.LogWarning(e, "A group commit of {Count} writes failed; committing each alone", batch.Count);
            foreach (var write in batch)
            {
                try { await commitTogether([write]); }
                catch (Exception single) { fail(write, single); }
            }
        }
        catch (Exception e)
        {
            fail(batch[0], e);
        }
    }
}
