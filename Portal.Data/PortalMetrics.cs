using System.Diagnostics.Metrics;

namespace Portal.Data;

/// <summary>
/// The portal's own instruments, beside ASP.NET Core's, SignalR's and EF Core's: what operators watch during a
/// campaign. Exported with OpenTelemetry (meter <see cref="Name"/>).
/// </summary>
public static class PortalMetrics
{
    public const string Name = "Solidons.Portal";
    private static readonly Meter Meter = new(Name);

    /// <summary>Writes acknowledged after their commit, by kind (vote, donation, correction, remittance, lifecycle).</summary>
    public static readonly Counter<long> WritesCommitted = Meter.CreateCounter<long>("solidons.writes.committed", "{write}",
        "Writes a dashboard shows, committed by the campaign writer");

    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("solidons.group_commit.batch_size", "{write}",
        "Writes that shared one transaction of the group commit");

    public static readonly Counter<long> SnapshotsPushed = Meter.CreateCounter<long>("solidons.live.snapshots_pushed", "{snapshot}",
        "Live snapshots built and pushed, by campaign");

    public static readonly UpDownCounter<long> CircuitsOpen = Meter.CreateUpDownCounter<long>("solidons.circuits.open", "{circuit}",
        "Blazor circuits open on this node");

    public static readonly Counter<long> NotificationsQueued = Meter.CreateCounter<long>("solidons.notifications.queued", "{notification}",
        "Notifications recorded for users");

    public static readonly Counter<long> EmailsQueued = Meter.CreateCounter<long>("solidons.emails.queued", "{email}",
        "E-mails put in the outbox");
}
