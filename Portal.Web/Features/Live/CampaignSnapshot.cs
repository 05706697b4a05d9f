namespace Portal.Web.Features.Live;

/// <summary>
/// What a live dashboard shows of a campaign, as one message. <see cref="Version"/> is the campaign's sequence in the
/// database: it only grows, so a client keeps the highest version it has seen and drops anything older.
/// Amounts are in cents. No contributor's personal data is in it.
/// </summary>
public sealed record CampaignSnapshot(
    int CampaignId,
    long Version,
    string Status,
    long TargetCents,
    long CollectedCents,
    long Solidons,
    int Entries,
    int Establishments,
    IReadOnlyList<LeaderboardRow> Leaderboard,
    bool VotesVisible,
    int VotesCast,
    IReadOnlyList<ProjectStanding> Projects,
    long? ProjectedCents,
    IReadOnlyList<ActivityItem> Recent,
    DateTimeOffset TakenAt)
{
    public double Progress => TargetCents == 0 ? 0 : Math.Min(1.0, (double)CollectedCents / TargetCents);
}

public sealed record LeaderboardRow(int EstablishmentId, string Name, long CollectedCents, long Solidons);

/// <summary>Votes is null while the campaign hides its counts until close.</summary>
public sealed record ProjectStanding(int ProjectId, string Name, string Slug, int? Votes, long AllocatedCents);

public sealed record ActivityItem(long EntryId, DateTimeOffset At, string Establishment, long AmountCents, int Solidons, bool IsCorrection);
