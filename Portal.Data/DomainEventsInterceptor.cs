using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;

namespace Portal.Data;

/// <summary>Receives domain events once the unit of work that raised them has committed.</summary>
public interface IDomainEventPublisher
{
    void Publish(IReadOnlyList<IDomainEvent> events);
}

/// <summary>
/// Bumps the concurrency token of every modified aggregate, and publishes aggregates' events after commit:
/// at SavedChanges when no explicit transaction is open, otherwise when that transaction commits.
/// </summary>
public sealed class DomainEventsInterceptor(IServiceProvider services) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    // Resolved on first use: the publishers (the live feed, notifications) read through DbContexts that carry this interceptor.
    private IDomainEventPublisher[]? _publishers;

    private IDomainEventPublisher[] Publishers => _publishers ??=
        [.. (IEnumerable<IDomainEventPublisher>)services.GetService(typeof(IEnumerable<IDomainEventPublisher>))!];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        PublishUnlessInTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        PublishUnlessInTransaction(eventData.Context);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Discard(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Publish(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Publish(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Discard(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Collect(DbContext? context)
    {
        if (context is not PortalDbContext db) return;
        foreach (var entry in db.ChangeTracker.Entries<AggregateRoot>())
        {
            if (entry.State == EntityState.Modified) entry.Entity.IncrementVersion();
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Unchanged)
                db.PendingEvents.AddRange(entry.Entity.TakeEvents());
        }
    }

    private void PublishUnlessInTransaction(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null) Publish(context);
    }

    private void Publish(DbContext? context)
    {
        if (context is not PortalDbContext db || db.PendingEvents.Count == 0) return;
        var events = db.PendingEvents.ToList();
        db.PendingEvents.Clear();
        // Each campaign event is one write acknowledged to its caller after this commit.
        foreach (var e in events.OfType<ICampaignEvent>())
            PortalMetrics.WritesCommitted.Add(1, new KeyValuePair<string, object?>("kind", e.GetType().Name));
        foreach (var publisher in Publishers) publisher.Publish(events);
    }

    private static void Discard(DbContext? context) => (context as PortalDbContext)?.PendingEvents.Clear();
}
