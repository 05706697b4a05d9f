using System.Collections.Concurrent;

namespace Portal.Web.Features.Live;

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
