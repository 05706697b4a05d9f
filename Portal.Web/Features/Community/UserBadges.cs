using System.Collections.Concurrent;

namespace Portal.Web.Features.Community;

/// <summary>Tells a user's open circuits that their notifications changed, so the bell's badge updates without a reload.</summary>
public sealed class UserBadges
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Func<Task>>> _byUser = new();

    public IDisposable Subscribe(string userId, Func<Task> changed)
    {
        var id = Guid.NewGuid();
        _byUser.GetOrAdd(userId, _ => new())[id] = changed;
        return new Subscription(() => { if (_byUser.TryGetValue(userId, out var subs)) subs.TryRemove(id, out _); });
    }

    public async Task NotifyAsync(string userId)
    {
        if (!_byUser.TryGetValue(userId, out var subscribers)) return;
        foreach (var changed in subscribers.Values)
        {
            try { await changed(); }
            catch (ObjectDisposedException) { /* the circuit went away meanwhile */ }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
