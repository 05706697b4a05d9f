namespace Portal.Domain.Campaigns;

public enum CampaignStatus { Draft, Open, Closed, Allocated, Disbursed }

public enum AllocationRule
{
    /// <summary>The project with the most votes receives the whole pot.</summary>
    WinnerTakesAll,
    /// <summary>The pot is split in proportion to the votes (largest remainder for the last cents).</summary>
    ProportionalToVotes,
    /// <summary>Projects in vote order are each funded up to their requested amount until the pot is empty.</summary>
    RankedUpToRequested,
}

public enum EntrySource { Till, Batch, Api, Csv, Correction }
