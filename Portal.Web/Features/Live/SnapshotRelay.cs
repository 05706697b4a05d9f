using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Portal.Web.Features.Live;

/// <summary>Carries live changes between web nodes. A single node needs none of it.</summary>
public interface ISnapshotRelay
{
    /// <summary>A snapshot was built here: other nodes show it to their Blazor circuits.</summary>
    void Share(CampaignSnapshot snapshot);
}

public sealed class SingleNodeRelay : ISnapshotRelay
{
    public void Share(CampaignSnapshot snapshot) { }
}

/// <summary>
/// Shares snapshots between web nodes over Redis pub/sub, so a vote on node A reaches the circuits and hub clients of
/// node B. While Redis is away each node keeps serving its own circuits;
/// when it is back, every node rebuilds its campaigns' snapshots from the database, so nothing missed stays missed.
/// </summary>
public sealed class RedisSnapshotRelay(IOptions<LiveOptions> options, IServiceProvider services, ILogger<RedisSnapshotRelay> logger)
    : ISnapshotRelay, IHostedService, IAsyncDisposable
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("solidons:snapshots");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _node = Guid.NewGuid().ToString("N");
    private ConnectionMultiplexer? _redis;
    private CampaignFeed? _feed;

    // Resolved late: the feed depends on this relay.
    private CampaignFeed Feed => _feed ??= services.GetRequiredService<CampaignFeed>();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configuration = ConfigurationOptions.Parse(options.Value.Redis!);
        configuration.AbortOnConnectFail = false;
        _redis = await ConnectionMultiplexer.ConnectAsync(configuration);
        _redis.ConnectionFailed += (_, e) => logger.LogError(e.Exception, "Redis connection lost ({FailureType}): serving this node's updates only", e.FailureType);
        _redis.ConnectionRestored += async (_, e) =>
        {
            if (e.ConnectionType != ConnectionType.Subscription) return;
            logger.LogInformation("Redis is back: resynchronising live snapshots from the database");
            Feed.ResynchroniseAll();
        };
        if (!await SubscribeAsync()) _ = Task.Run(async () =>
        {
            while (!_stopping.IsCancellationRequested && !await SubscribeAsync())
                await Task.Delay(TimeSpan.FromSeconds(1), _stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            Feed.ResynchroniseAll();
        });
    }

    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// A node starts even when Redis is not there yet (or under a load that makes the first subscription time out): it
    /// serves its own circuits, and subscribes every second until it can. A message received twice (a subscription
    /// that timed out but was kept) is harmless: the feed keeps one snapshot per version.
    /// </summary>
    private async Task<bool> SubscribeAsync()
    {
        try
        {
            await _redis!.GetSubscriber().SubscribeAsync(Channel, (channel, message) => _ = ReceiveAsync(message));
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Could not subscribe to other nodes' snapshots yet; retrying");
            return false;
        }
    }

    public void Share(CampaignSnapshot snapshot)
    {
        if (_redis is not { IsConnected: true }) return;
        var message = JsonSerializer.Serialize(new Envelope(_node, snapshot), Json);
        _ = _redis.GetSubscriber().PublishAsync(Channel, message, CommandFlags.FireAndForget);
    }

    private async Task ReceiveAsync(RedisValue message)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<Envelope>(message.ToString(), Json);
            if (envelope is null || envelope.Node == _node) return;
            await Feed.AcceptRemoteAsync(envelope.Snapshot);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A live snapshot from another node could not be read");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => _stopping.CancelAsync();

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null) await _redis.DisposeAsync();
    }

    private sealed record Envelope(string Node, CampaignSnapshot Snapshot);
}
