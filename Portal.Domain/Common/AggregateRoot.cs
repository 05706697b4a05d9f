namespace Portal.Domain.Common;

public interface IDomainEvent;

/// <summary>
/// Collects domain events until the unit of work commits; the data layer dispatches them after commit.
/// <see cref="Version"/> is the application-managed concurrency token (SQLite has no rowversion).
/// </summary>
public abstract class AggregateRoot
{
    private readonly List<IDomainEvent> _events = [];

    public int Version { get; private set; }

    public IReadOnlyList<IDomainEvent> DomainEvents => _events;

    protected void Raise(IDomainEvent domainEvent) => _events.Add(domainEvent);

    public IReadOnlyList<IDomainEvent> TakeEvents()
    {
        var taken = _events.ToList();
        _events.Clear();
        return taken;
    }

    public void IncrementVersion() => Version++;
}
