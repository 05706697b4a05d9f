using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Portal.Data;

/// <summary>
/// Group commit. Concurrent writes wait in one queue; a single drainer opens one transaction for everything waiting
/// (up to <see cref="MaxBatch"/>) and hands the batch to <c>write</c>, which reads what the batch's rules need, has the
/// domain decide each write (<see cref="Write.Succeed"/> or <see cref="Write.Refuse"/>) and applies the accepted ones
/// through <see cref="CampaignWriter"/>: the writer's own batching, for the votes and the ledger. Results reach their
/// callers only once the transaction has committed. If it fails, each write of the batch is committed alone, so one
/// bad write cannot sink the others.
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

    // Not SingleReader: that variant cannot count what waits, which the gathering below needs.
    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>();
    private int _draining;
    private TaskCompletionSource? _gathering;
    private int _gatherTarget;

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
        if (Volatile.Read(ref _gathering) is { } gathering && _queue.Reader.Count >= _gatherTarget) gathering.TrySetResult();
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0) await DrainAsync(inline: true);
        return await pending.Done.Task;
    }

    private async Task DrainAsync(bool inline, int gatherFor = 0)
    {
        if (gatherFor > 1) await GatherAsync(gatherFor);
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
            var committed = batch.Count;
            batch.Clear();
            if (inline && (committed > 1 || _queue.Reader.TryPeek(out _)))
            {
                // The caller's own write is committed: what comes next is drained (and gathered) in the background.
                _ = Task.Run(() => DrainAsync(inline: false, gatherFor: committed));
                return;
            }
            if (committed > 1) await GatherAsync(committed);
        }
    }

    /// <summary>
    /// After a batch of several writes, the next one waits a moment (at most <see cref="GatherTime"/>) for as many
    /// writes as the last: the callers just answered are usually on their way back, and a commit costs the same for
    /// 5 writes as for 60 (two reads, two running-total updates, one fsync). Taking only what had arrived made batches
    /// of 28 on average under 64 writers, 63 with this (with the hand-off above, donations at 64 writers went from
    /// 13-14k to 24-29k writes/s, measured). A lone writer never waits: a batch of one skips this.
    /// </summary>
    private async Task GatherAsync(int expected)
    {
        var filled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gatherTarget = Math.Min(expected, MaxBatch);
        Volatile.Write(ref _gathering, filled);
        // Checked after publishing the signal: a write that came in between would otherwise wake nobody.
        if (_queue.Reader.Count < _gatherTarget)
            await filled.Task.WaitAsync(GatherTime).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Volatile.Write(ref _gathering, null);
    }

    /// <summary>The longest a busy queue waits to fill a batch: well under a commit's own time.</summary>
    public static readonly TimeSpan GatherTime = TimeSpan.FromMilliseconds(1);

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
        using var turn = await gate.EnterAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.InTransactionAsync(async _ =>
        {
            // An attempt that a retrying strategy runs again decides afresh.
            foreach (var pending in batch) pending.Forget();
            await write(db, batch);
        });
        PortalMetrics.BatchSize.Record(batch.Count);
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
