using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Portal.Bench;

/// <summary>
/// A hub client reduced to what the scale run needs: SignalR's JSON protocol handshake, Join, then each snapshot's
/// version found in its frame and timed, and a ping every few seconds so that the server keeps the connection. A
/// SignalR client deserialises every snapshot: 19,500 of them took more of the two cores than the node itself did,
/// so the clients, not the node, set the latencies. This one reads bytes.
/// </summary>
public sealed class RawHubClient
{
    private static readonly byte[] Ping = "{\"type\":6}\u001e"u8.ToArray();
    private static readonly byte[] VersionKey = "\"version\":"u8.ToArray();
    private static readonly byte[] SnapshotTarget = "\"target\":\"Snapshot\""u8.ToArray();
    private readonly ClientWebSocket _socket;
    private readonly List<(long Version, long At)> _receipts = new(256);

    private RawHubClient(ClientWebSocket socket) => _socket = socket;

    public long JoinedAt { get; private set; }

    /// <summary>The versions received since the join, with their arrival times (Stopwatch ticks).</summary>
    public List<(long Version, long At)> Receipts
    {
        get { lock (_receipts) return [.. _receipts]; }
    }

    public static async Task<RawHubClient> JoinAsync(Uri node, IPAddress source, int campaignId)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Forwarded-Proto", "https");
        var invoker = new HttpMessageInvoker(HubClients.BoundHandler(source));
        await socket.ConnectAsync(new Uri($"ws://{node.Authority}/hubs/campaigns"), invoker, CancellationToken.None);
        var client = new RawHubClient(socket);
        await client.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"));
        await client.SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"1\",\"target\":\"Join\",\"arguments\":[{campaignId}]}}\u001e"));
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = client.ReadAsync(joined);
        await joined.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return client;
    }

    public Task PingAsync() => SendAsync(Ping);

    private Task SendAsync(byte[] bytes) => _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private async Task ReadAsync(TaskCompletionSource joined)
    {
        var buffer = new byte[8192];
        var message = new List<byte>();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                var at = Stopwatch.GetTimestamp();
                if (result.MessageType == WebSocketMessageType.Close) return;
                ReadOnlySpan<byte> frame = buffer.AsSpan(0, result.Count);
                if (!result.EndOfMessage || message.Count > 0)
                {
                    message.AddRange(frame);
                    if (!result.EndOfMessage) continue;
                    frame = message.ToArray();
                    message.Clear();
                }
                // One frame may hold several records, each ended by the record separator 0x1E.
                foreach (var range in frame.Split((byte)0x1E))
                {
                    var record = frame[range];
                    if (record.IsEmpty || Version(record) is not { } version) continue;
                    if (record.IndexOf(SnapshotTarget) >= 0)
                    {
                        lock (_receipts) _receipts.Add((version, at));
                    }
                    else if (JoinedAt == 0)
                    {
                        JoinedAt = version;
                        joined.TrySetResult();
                    }
                }
            }
        }
        catch (WebSocketException)
        {
            // The worker is stopping, or the node went away: the receipts so far are the result.
        }
    }

    private static long? Version(ReadOnlySpan<byte> record)
    {
        var at = record.IndexOf(VersionKey);
        if (at < 0) return null;
        return Utf8Parser.TryParse(record[(at + VersionKey.Length)..], out long version, out _) ? version : null;
    }
}
