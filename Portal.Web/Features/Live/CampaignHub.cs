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
public sealed class CampaignHub(CampaignFeed feed) : Hub<ICampaignClient>
{
    public async Task<CampaignSnapshot> Join(int campaignId)
    {
        var snapshot = await feed.CurrentAsync(campaignId, Context.ConnectionAborted)
            ?? throw new HubException($"Campaign {campaignId} does not exist.");
        await Groups.AddToGroupAsync(Context.ConnectionId, CampaignFeed.Group(campaignId), Context.ConnectionAborted);
        return snapshot;
    }

    public Task Leave(int campaignId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, CampaignFeed.Group(campaignId));
}
