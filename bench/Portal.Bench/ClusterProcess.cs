using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Portal.Bench;

/// <summary>
/// deploy/cluster.sh's cluster (PostgreSQL, redis-server, two Release nodes, nginx) in a folder of its own for one
/// bench run, brought down when disposed.
/// </summary>
public sealed class ClusterProcess : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("solidons-bench-cluster-").FullName;
    private Dictionary<string, string> _settings = [];

    public Uri Url => new(_settings["URL"] + "/");
    public Uri NodeA => new($"http://127.0.0.1:{_settings["NODE_A_PORT"]}/");
    public Uri NodeB => new($"http://127.0.0.1:{_settings["NODE_B_PORT"]}/");
    public string Database => $"Host=127.0.0.1;Port={_settings["PG_PORT"]};Database=solidons;Username=portal;Maximum Pool Size=20";
    public int NodeAProcessId => int.Parse(File.ReadAllText(Path.Combine(_folder, "node-a.pid")).Trim());

    public static async Task<ClusterProcess> UpAsync()
    {
        var cluster = new ClusterProcess();
        await cluster.RunAsync("up");
        cluster._settings = File.ReadAllLines(Path.Combine(cluster._folder, "cluster.env")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        return cluster;
    }

    /// <summary>Node b out of the pool (SIGTERM, then the watcher's next look), for the one-node figures; back with <see cref="StartNodeBAsync"/>.</summary>
    public async Task StopNodeBAsync()
    {
        await RunAsync("stop-node", "b");
        await Task.Delay(TimeSpan.FromSeconds(3));
    }

    public async Task StartNodeBAsync()
    {
        await RunAsync("start-node", "b");
        await Task.Delay(TimeSpan.FromSeconds(3));
    }

    /// <summary>CPU seconds a process has used so far (user and system), from the kernel.</summary>
    public static double CpuSeconds(int processId)
    {
        var fields = File.ReadAllText($"/proc/{processId}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After the command's closing parenthesis: state is field 0, utime 11, stime 12 (in clock ticks of 1/100 s).
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }

    private async Task RunAsync(params string[] arguments)
    {
        var command = string.Join(' ', arguments);
        var start = new ProcessStartInfo(Path.Combine(Options.RepositoryRoot(), "deploy", "cluster.sh"), arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["CLUSTER_DIR"] = _folder;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"deploy/cluster.sh {command} failed: {error}{await output}");
    }

    /// <summary>The node's resident memory, from the kernel: what the machine gives the process, not the managed heap alone.</summary>
    public long NodeAResidentBytes()
    {
        var line = File.ReadLines($"/proc/{NodeAProcessId}/status").First(l => l.StartsWith("VmRSS:"));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    /// <summary>The SignalR connections a node holds, from its own /metrics (readable from the machine only).</summary>
    public static async Task<double> HubConnectionsAsync(Uri node)
    {
        using var client = new HttpClient { BaseAddress = node };
        var text = await client.GetStringAsync("metrics");
        return text.Split('\n').Where(l => l.StartsWith("signalr_server_active_connections")).Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..]));
    }

    public async ValueTask DisposeAsync() => await RunAsync("down");
}

/// <summary>
/// Hub clients as display screens are: WebSocket straight away, no cookie, and each from a loopback address of its own
/// choosing (127.0.0.x), so that nginx, which balances the hub by the client's address, spreads them over both nodes.
/// </summary>
public static class HubClients
{
    public static IPAddress Source(int index, int addresses) => new([127, 0, (byte)(1 + index % addresses / 250), (byte)(2 + index % addresses % 250)]);

    /// <summary>An HTTP handler whose connections leave from <paramref name="source"/>, accepting nginx's self-signed certificate.</summary>
    public static SocketsHttpHandler BoundHandler(IPAddress source) =>
        new()
        {
            ConnectCallback = async (context, cancel) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            // nginx's certificate is self-signed.
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };

    public static HubConnection Build(Uri address, IPAddress source)
    {
        var handler = BoundHandler(source);
        return new HubConnectionBuilder().WithUrl(new Uri(address, "hubs/campaigns"), o =>
        {
            o.SkipNegotiation = true;
            o.Transports = HttpTransportType.WebSockets;
            o.WebSocketFactory = async (context, cancel) =>
            {
                var socket = new ClientWebSocket();
                // A node reached directly is told what nginx would tell it: the visitor came over HTTPS.
                socket.Options.SetRequestHeader("X-Forwarded-Proto", "https");
                await socket.ConnectAsync(context.Uri, new HttpMessageInvoker(handler, disposeHandler: false), cancel);
                return socket;
            };
        }).Build();
    }
}

/// <summary>What a hub client needs of a snapshot here: its version (the rest of the payload is not read).</summary>
public sealed record SnapshotVersion(long Version);
