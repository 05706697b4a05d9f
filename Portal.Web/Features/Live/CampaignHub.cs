using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Portal.Web.Features.Live;

/// <summary>What the hub sends to its clients (display screens, widgets on merchants' sites).</summary>
public interface ICampaignClient
{
    Task Snapshot(CampaignSnapshot snapshot);
}

/// <summary>
/// Public hub at /hubs/campaigns. A client calls Join(campaignId), which returns the current snapshot at once (also
/// after a reconnect) and subscribes it to "Snapshot" messages; Leave(campaignId) unsubscribes. No sign-in needed:
/// snapshots hold no personal data.
/// </summary>
public sealed class CampaignHub(CampaignFeed feed, HubMembers members) : Hub<ICampaignClient>
{
    public async Task<CampaignSnapshot> Join(int campaignId)
    {
        var snapshot = await feed.CurrentAsync(campaignId, Context.ConnectionAborted)
            ?? throw new HubException($"Campaign {campaignId} does not exist.");
        await Groups.AddToGroupAsync(Context.ConnectionId, CampaignFeed.Group(campaignId), Context.ConnectionAborted);
        members.Add(campaignId, Context.ConnectionId);
        return snapshot;
    }

    public Task Leave(int campaignId)
    {
        members.Remove(campaignId, Context.ConnectionId);
        return Groups.RemoveFromGroupAsync(Context.ConnectionId, CampaignFeed.Group(campaignId));
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        members.RemoveEverywhere(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>
/// The hub connections on this node, per campaign. With the Redis backplane a group send goes through Redis even
/// for local clients; when Redis is away, the feed reaches this node's clients one by one through this list.
/// </summary>
public sealed class HubMembers
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, byte>> _byCampaign = new();

    public void Add(int campaignId, string connectionId) => _byCampaign.GetOrAdd(campaignId, _ => new())[connectionId] = 0;

    public void Remove(int campaignId, string connectionId)
    {
        if (_byCampaign.TryGetValue(campaignId, out var members)) members.TryRemove(connectionId, out _);
    }

    public void RemoveEverywhere(string connectionId)
    {
        foreach (var members in _byCampaign.Values) members.TryRemove(connectionId, out _);
    }

    public IReadOnlyCollection<string> Of(int campaignId) =>
        _byCampaign.TryGetValue(campaignId, out var members) ? [.. members.Keys] : [];
}
