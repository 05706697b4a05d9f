using System.Collections.Concurrent;

namespace Portal.Web.Features.Live;

/// <summary>
/// Callbacks registered per key by open circuits (a user's bell, a loan's page); dispose the handle to leave.
/// A circuit that went away while being told is skipped.
/// </summary>
public sealed class Subscribers<TKey> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, ConcurrentDictionary<Guid, Func<Task>>> _byKey = new();

    public IDisposable Add(TKey key, Func<Task> changed)
    {
        var id = Guid.NewGuid();
        _byKey.GetOrAdd(key, _ => new())[id] = changed;
        return new Handle(() => { if (_byKey.TryGetValue(key, out var callbacks)) callbacks.TryRemove(id, out _); });
    }

    public async Task NotifyAsync(TKey key)
    {
        if (!_byKey.TryGetValue(key, out var callbacks)) return;
        foreach (var changed in callbacks.Values)
        {
            try { await changed(); }
            catch (ObjectDisposedException) { /* that circuit is gone */ }
        }
    }

    private sealed class Handle(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
