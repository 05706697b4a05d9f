using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;

namespace Portal.Web.Features.Live;

public sealed class LiveOptions
{
    /// <summary>The most snapshots pushed per campaign per second, however many writes arrive.</summary>
    public double SnapshotsPerSecond { get; set; } = 4;
    /// <summary>A Redis connection string: set it to run several web nodes. Empty on a single node.</summary>
    public string? Redis { get; set; }
}

/// <summary>
/// The live path. A committed change marks its campaign dirty; a per-campaign pump rebuilds the snapshot from the
/// running totals and pushes it to this node's Blazor subscribers and hub clients, and to the other nodes through
/// <see cref="ISnapshotRelay"/>, which show it to theirs. No push waits on Redis.
/// The first change after a quiet spell goes out at once; a burst is coalesced to at most N snapshots per second,
/// and because each snapshot is read after the changes that marked it, the last one equals the database.
/// </summary>
public sealed class CampaignFeed(
    SnapshotReader reader,
    IHubContext<CampaignHub, ICampaignClient> hub,
    ISnapshotRelay relay,
    IOptions<LiveOptions> options,
    TimeProvider clock,
    ILogger<CampaignFeed> logger) : Data.IDomainEventPublisher
{
    private readonly SnapshotReader _reader = reader;
    private readonly IHubContext<CampaignHub, ICampaignClient> _hub = hub;
    private readonly ISnapshotRelay _relay = relay;
    private readonly TimeProvider _clock = clock;
    private readonly ILogger _logger = logger;
    private readonly ConcurrentDictionary<int, Channel> _channels = new();
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(1 / Math.Max(0.1, options.Value.SnapshotsPerSecond));

    public static string Group(int campaignId) => $"campaign-{campaignId}";

    public void Publish(IReadOnlyList<IDomainEvent> events)
    {
        foreach (var campaignId in events.OfType<ICampaignEvent>().Select(e => e.CampaignId).Distinct())
            MarkDirty(campaignId);
    }

    /// <summary>Something changed in this campaign, here or on another node: a fresh snapshot will follow.</summary>
    public void MarkDirty(int campaignId) => ChannelFor(campaignId).MarkDirty();

    /// <summary>
    /// The snapshot as the database holds it now: the last one built when nothing has changed since, otherwise a
    /// fresh read, so a client that (re)joins never starts from a stale view.
    /// </summary>
    public async Task<CampaignSnapshot?> CurrentAsync(int campaignId, CancellationToken cancellationToken = default)
    {
        var channel = ChannelFor(campaignId);
        if (channel.Settled is { } latest) return latest;
        var snapshot = await _reader.ReadAsync(campaignId, cancellationToken);
        if (snapshot is not null) channel.Offer(snapshot);
        return channel.Latest;
    }

    /// <summary>Subscribe a Blazor component; dispose the result to leave.</summary>
    public IDisposable Subscribe(int campaignId, Func<CampaignSnapshot, Task> onSnapshot) => ChannelFor(campaignId).Add(onSnapshot);

    /// <summary>A snapshot built on another node: shown to this node's circuits if it is newer than what they have.</summary>
    public Task AcceptRemoteAsync(CampaignSnapshot snapshot)
    {
        var channel = ChannelFor(snapshot.CampaignId);
        return channel.Offer(snapshot) ? channel.ShowHereAsync(snapshot) : Task.CompletedTask;
    }

    /// <summary>After an outage of the relay: rebuild every watched campaign from the database.</summary>
    public void ResynchroniseAll()
    {
        foreach (var id in _channels.Keys) MarkDirty(id);
    }

    private Channel ChannelFor(int campaignId) => _channels.GetOrAdd(campaignId, id => new Channel(id, this));

    private sealed class Channel(int campaignId, CampaignFeed feed)
    {
        private readonly Lock _gate = new();
        private readonly List<Func<CampaignSnapshot, Task>> _subscribers = [];
        private bool _dirty;
        private bool _pumping;
        private CampaignSnapshot? _latest;

        public CampaignSnapshot? Latest { get { lock (_gate) return _latest; } }

        /// <summary>The last snapshot, if no change is waiting to be read or being read.</summary>
        public CampaignSnapshot? Settled { get { lock (_gate) return _dirty || _pumping ? null : _latest; } }

        /// <summary>Keeps the snapshot if it is newer than the one held; says whether it was kept.</summary>
        public bool Offer(CampaignSnapshot snapshot)
        {
            lock (_gate)
            {
                if (_latest is not null && snapshot.Version < _latest.Version) return false;
                if (_latest is not null && snapshot.Version == _latest.Version && snapshot.TakenAt <= _latest.TakenAt) return false;
                _latest = snapshot;
                return true;
            }
        }

        public IDisposable Add(Func<CampaignSnapshot, Task> subscriber)
        {
            lock (_gate) _subscribers.Add(subscriber);
            return new Subscription(() => { lock (_gate) _subscribers.Remove(subscriber); });
        }

        public void MarkDirty()
        {
            lock (_gate)
            {
                _dirty = true;
                if (_pumping) return;
                _pumping = true;
            }
            _ = Task.Run(PumpAsync);
        }

        private async Task PumpAsync()
        {
            while (true)
            {
                lock (_gate)
                {
                    if (!_dirty) { _pumping = false; return; }
                    _dirty = false;
                }
                // The interval runs from the start of this push, not its end: a change that arrives meanwhile waits
                // at most one interval, and a slow fan-out does not lower the rate below N per second.
                var started = feed._clock.GetTimestamp();
                try
                {
                    var snapshot = await feed._reader.ReadAsync(campaignId);
                    if (snapshot is not null && Offer(snapshot))
                    {
                        PortalMetrics.SnapshotsPushed.Add(1, new KeyValuePair<string, object?>("campaign", campaignId));
                        feed._relay.Share(snapshot);
                        await ShowHereAsync(snapshot);
                    }
                }
                catch (Exception e)
                {
                    // Read again after the interval: a change committed must reach the dashboards even if no other follows.
                    feed._logger.LogError(e, "Live snapshot of campaign {CampaignId} failed; retrying", campaignId);
                    lock (_gate) _dirty = true;
                }
                var rest = feed._interval - feed._clock.GetElapsedTime(started);
                if (rest > TimeSpan.Zero) await Task.Delay(rest, feed._clock);
            }
        }

        /// <summary>This node's hub clients and circuits at once: neither waits for the other.</summary>
        public Task ShowHereAsync(CampaignSnapshot snapshot) => Task.WhenAll(SendToHubAsync(snapshot), NotifyLocalAsync(snapshot));

        private async Task SendToHubAsync(CampaignSnapshot snapshot)
        {
            try { await feed._hub.Clients.Group(Group(campaignId)).Snapshot(snapshot); }
            catch (Exception e) { feed._logger.LogWarning(e, "Hub group send of campaign {CampaignId} failed", campaignId); }
        }

        /// <summary>
        /// Every circuit renders on a thread-pool thread of its own: a circuit's render runs inline when its
        /// dispatcher is free, so calling them one after the other would make the last dashboard wait for all the
        /// renders before it.
        /// </summary>
        private Task NotifyLocalAsync(CampaignSnapshot snapshot)
        {
            Func<CampaignSnapshot, Task>[] subscribers;
            lock (_gate) subscribers = [.. _subscribers];
            return subscribers.Length == 0 ? Task.CompletedTask : Task.WhenAll(subscribers.Select(subscriber => Task.Run(async () =>
            {
                try { await subscriber(snapshot); }
                catch (Exception e) { feed._logger.LogWarning(e, "A dashboard subscriber failed"); }
            })));
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
