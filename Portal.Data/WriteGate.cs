namespace Portal.Data;

/// <summary>
/// SQLite lets one writer in at a time and makes the others retry with 150 ms sleeps: under load, waiting in line
/// in-process is far faster. Hot write paths enter this gate around their transaction; on SQL Server it lets everyone
/// through, since the server handles concurrent writers itself.
/// </summary>
public sealed class WriteGate(DatabaseSettings settings)
{
    private readonly SemaphoreSlim? _single = settings.Provider == DatabaseProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken = default)
    {
        if (_single is null) return Nothing.Instance;
        await _single.WaitAsync(cancellationToken);
        return new Release(_single);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;
        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();
        public void Dispose() { }
    }
}
