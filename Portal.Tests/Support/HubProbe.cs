using Microsoft.AspNetCore.SignalR.Client;
using Portal.Web.Features.Live;

namespace Portal.Tests.Support;

/// <summary>A hub client as a display screen would be: joins a campaign, keeps the newest snapshot, drops older ones.</summary>
public sealed class HubProbe : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly object _gate = new();
    private readonly List<(Func<CampaignSnapshot, bool> Until, TaskCompletionSource Done)> _waiters = [];

    private HubProbe(HubConnection connection) => _connection = connection;

    public CampaignSnapshot? Latest { get; private set; }
    public int Received { get; private set; }

    public static async Task<HubProbe> JoinAsync(Uri baseAddress, int campaignId, Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions>? configure = null)
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(baseAddress, "hubs/campaigns"), o => configure?.Invoke(o)).Build();
        var probe = new HubProbe(connection);
        connection.On<CampaignSnapshot>("Snapshot", probe.Offer);
        await connection.StartAsync();
        probe.Offer(await connection.InvokeAsync<CampaignSnapshot>("Join", campaignId), counted: false);
        return probe;
    }

    /// <summary>Completes when a snapshot of at least <paramref name="version"/> has arrived; fails after the timeout.</summary>
    public Task WaitForVersionAsync(long version, TimeSpan? timeout = null) => WaitForAsync(s => s.Version >= version, timeout);

    /// <summary>Completes when the newest snapshot satisfies <paramref name="until"/>; fails after the timeout.</summary>
    public Task WaitForAsync(Func<CampaignSnapshot, bool> until, TimeSpan? timeout = null)
    {
        lock (_gate)
        {
            if (Latest is not null && until(Latest)) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((until, done));
            return done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        }
    }

    private void Offer(CampaignSnapshot snapshot) => Offer(snapshot, counted: true);

    private void Offer(CampaignSnapshot snapshot, bool counted)
    {
        lock (_gate)
        {
            if (counted) Received++;
            if (Latest is not null && snapshot.Version < Latest.Version) return;
            Latest = snapshot;
            foreach (var waiter in _waiters.Where(w => w.Until(snapshot)).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
