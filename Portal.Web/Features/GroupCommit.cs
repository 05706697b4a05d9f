using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Portal.Data;

namespace Portal.Web.Features;

/// <summary>
/// Group commit. Concurrent writes wait in one queue; a single drainer opens one transaction for everything waiting
/// (up to <see cref="MaxBatch"/>) and hands the batch to <c>write</c>, which decides each write (<see cref="Write.Succeed"/>
/// or <see cref="Write.Refuse"/>) and writes the accepted ones. Results reach their callers only once the transaction
/// has committed. If it fails, each write of the batch is committed alone, so one bad write cannot sink the others.
/// With SQLite, whose writers take turns anyway, this turns a queue of one-row transactions into few larger ones: the
/// commit is the costly part.
/// </summary>
public sealed class GroupCommit<TRequest, TResult>(
    IDbContextFactory<PortalDbContext> dbFactory,
    WriteGate gate,
    Func<PortalDbContext, IReadOnlyList<GroupCommit<TRequest, TResult>.Write>, Task> write,
    ILogger logger)
{
    /// <summary>The most writes in one transaction: enough to absorb a burst, small enough to keep commits short.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new() { SingleReader = true });
    private int _draining;

    /// <summary>
    /// Queues <paramref name="request"/> and returns its result once committed. When no drainer is running, the caller
    /// commits the waiting batch itself (a lone writer pays no hop to the thread pool, which is busy when thousands of
    /// dashboards are being served), then hands whatever arrived meanwhile to a background drainer, so that no caller
    /// waits long on others' writes.
    /// </summary>
    public async Task<TResult> SubmitAsync(TRequest request)
    {
        var pending = new Write(request);
        _queue.Writer.TryWrite(pending);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0) await DrainAsync(inline: true);
        return await pending.Done.Task;
    }

    private async Task DrainAsync(bool inline)
    {
        var batch = new List<Write>(MaxBatch);
        while (true)
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending)) batch.Add(pending);
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

    private async Task CommitAsync(List<Write> batch)
    {
        try
        {
            await CommitTogetherAsync(batch);
        }
        catch (Exception e) when (batch.Count > 1)
        {
            logger.LogWarning(e, "A group commit of {Count} writes failed; committing each alone", batch.Count);
            foreach (var pending in batch)
            {
                try { await CommitTogetherAsync([pending]); }
                catch (Exception single) { pending.Done.TrySetException(single); }
            }
        }
        catch (Exception e)
        {
            batch[0].Done.TrySetException(e);
        }
    }

    private async Task CommitTogetherAsync(IReadOnlyList<Write> batch)
    {
        foreach (var pending in batch) pending.Forget();
        using var turn = await gate.EnterAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await write(db, batch);
        await transaction.CommitAsync();
        foreach (var pending in batch) pending.HandOut();
    }

    /// <summary>One queued request and what the batch decided for it, handed out after the commit.</summary>
    public sealed class Write(TRequest request)
    {
        private (TResult? Result, Exception? Refusal, bool Decided) _decision;

        public TRequest Request { get; } = request;

        internal TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Succeed(TResult result) => _decision = (result, null, true);

        /// <summary>Nothing of this request is written; its caller gets <paramref name="refusal"/>.</summary>
        public void Refuse(Exception refusal) => _decision = (default, refusal, true);

        // A batch that failed is committed again write by write: decisions start afresh.
        internal void Forget() => _decision = default;

        internal void HandOut()
        {
            if (!_decision.Decided) Done.TrySetException(new InvalidOperationException("The batch did not decide this write."));
            else if (_decision.Refusal is { } refusal) Done.TrySetException(refusal);
            else Done.TrySetResult(_decision.Result!);
        }
    }
}
