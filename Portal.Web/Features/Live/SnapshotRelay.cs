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
