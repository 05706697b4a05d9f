using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Portal.Tests.Support;

/// <summary>
/// The PostgreSQL server of the run: the one ./test.sh started (PORTAL_POSTGRES names it), or else a throw-away
/// cluster of Debian's PostgreSQL started here on a free loopback port (initdb into a temporary folder, pg_ctl start,
/// stopped and removed once the test process is gone). initdb refuses root, so as root the server runs as the 'postgres' user.
/// Each test class asks for its own database. The benchmark harness compiles this file too (bench/Portal.Bench).
/// </summary>
internal sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer> Shared = new(() => new PostgresServer());
    private readonly string _folder = "";
    private readonly string _bin = "";
    private readonly string? _given = Environment.GetEnvironmentVariable("PORTAL_POSTGRES");
    private int _databases;

    /// <summary>One server for the whole run: starting a cluster costs seconds, a database milliseconds.</summary>
    public static PostgresServer Instance => Shared.Value;

    public int Port { get; } = FreePort();

    private PostgresServer()
    {
        if (_given is not null)
        {
            Port = new Npgsql.NpgsqlConnectionStringBuilder(_given).Port;
            return;
        }
        _bin = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Order().Select(v => Path.Combine(v, "bin"))
            .LastOrDefault(b => File.Exists(Path.Combine(b, "initdb"))) ?? "" : "";
        if (_bin.Length == 0)
            throw new InvalidOperationException("PostgreSQL was not found. Install it with 'sudo apt-get install -y postgresql' (./test.sh does it for you).");
        _folder = Directory.CreateTempSubdirectory("solidons-pg-").FullName;
        Run("chmod", "755", _folder);
        if (IsRoot) Run("chown", "postgres:postgres", _folder);
        Pg("initdb", "-D", Data, "-A", "trust", "-U", "portal", "-E", "UTF8", "--locale=C.UTF-8");
        Pg("pg_ctl", "-D", Data, "-o", $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c max_connections=400", "-l", Path.Combine(_folder, "log"), "-w", "start");
        // The test host may be killed when the run ends, with no exit handler run: a detached watcher stops the
        // cluster and removes its folder once this process is gone.
        var stop = string.Join(' ', (IsRoot ? new[] { "runuser", "-u", "postgres", "--" } : []).Append(Path.Combine(_bin, "pg_ctl"))
            .Concat(["-D", Data, "-m", "immediate", "-w", "stop"]));
        Process.Start(new ProcessStartInfo("setsid", ["bash", "-c", $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf '{_folder}'"])
        { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true })!.Dispose();
    }

    private string Data => Path.Combine(_folder, "data");

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<string>> _byFolder = new();

    /// <summary>The database that stands for a portal's data folder: created on first use, the same one after.</summary>
    public string DatabaseFor(string dataFolder) => _byFolder.GetOrAdd(Path.GetFullPath(dataFolder), _ => new(NewDatabase)).Value;

    /// <summary>A new empty database, and its connection string.</summary>
    public string NewDatabase()
    {
        var name = $"portal_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        using (var connection = new Npgsql.NpgsqlConnection($"Host=127.0.0.1;Port={Port};Database=postgres;Username=portal;Pooling=false"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = $"CREATE DATABASE {name}";
            create.ExecuteNonQuery();
        }
        return $"Host=127.0.0.1;Port={Port};Database={name};Username=portal;Pooling=true;Maximum Pool Size=20;Connection Idle Lifetime=15";
    }

    private static bool IsRoot => Environment.UserName == "root";

    private void Pg(string tool, params string[] arguments)
    {
        var path = Path.Combine(_bin, tool);
        if (IsRoot) Run("runuser", ["-u", "postgres", "--", path, .. arguments]);
        else Run(path, arguments);
    }

    private static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}{output.Result}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
