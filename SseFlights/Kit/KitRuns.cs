using Serilog;
using SseFlights.Http;

namespace SseFlights.Kit;

/// <summary>
/// The runs of the kit's cases: one server (listening nowhere, handed its requests) per case and run id,
/// made at the run's first request so that run's clock starts then and no other run disturbs it; each
/// ends <see cref="Lifetime"/> later, or at shutdown. At most <see cref="MaxRuns"/> at once.
/// </summary>
internal sealed class KitRuns(Func<KitCase, string, RequestLog, SseFlightsServer> build, TimeProvider time, ILogger log) : IAsyncDisposable
{
    /// <summary>Runs kept at once: a full pack run is 45, so this is some twenty browsers grading side by side.</summary>
    public const int MaxRuns = 1000;

    /// <summary>
    /// Requests a run's log keeps, and characters of them: a case makes a handful, and a thousand runs' logs
    /// stay within 512 MiB even when every request carries a 64 KiB body.
    /// </summary>
    public const int RunLogCapacity = 100;

    /// <inheritdoc cref="RunLogCapacity"/>
    public const long RunLogMaxChars = 256 * 1024;

    /// <summary>How long a run lives: every case ends well inside it (a page gives up on a case after 30 s).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(3);

    private readonly ILogger _log = log.ForContext<KitRuns>();

    // Guards _runs and _stopped; a run is looked up and handed its request under it, so an ended run gets none.
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Case, string Run), KitRun> _runs = [];

    // Each run's whole life (serve, end, dispose), awaited at shutdown.
    private readonly List<Task> _lives = [];

    // Ends every run's wait at once: shutdown.
    private readonly CancellationTokenSource _stopping = new();
    private bool _stopped;

    /// <summary>How many runs are live.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _runs.Count;
            }
        }
    }

    /// <summary>Hands <paramref name="context"/> to the run <paramref name="run"/> of <paramref name="kitCase"/>, starting the run if this is its first request.</summary>
    public KitServe Serve(KitCase kitCase, string run, System.Net.HttpListenerContext context)
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return KitServe.Stopping;
            }

            if (!_runs.TryGetValue((kitCase.Name, run), out var live))
            {
                if (_runs.Count >= MaxRuns)
                {
                    return KitServe.Full;
                }

                live = Start(kitCase, run);
            }

            live.Server.Serve(context);
            return KitServe.Served;
        }
    }

    /// <summary>The requests run <paramref name="run"/> of <paramref name="kitCase"/> has had, oldest first; null for a run that is not live.</summary>
    public IReadOnlyList<LoggedRequest>? Requests(KitCase kitCase, string run)
    {
        lock (_lock)
        {
            return _runs.TryGetValue((kitCase.Name, run), out var live) ? live.Requests.Entries(null) : null;
        }
    }

    private KitRun Start(KitCase kitCase, string run)
    {
        var requests = new RequestLog(time, RunLogCapacity, RunLogMaxChars);
        var server = build(kitCase, run, requests);
        server.Start();
        var stop = new CancellationTokenSource();
        var live = new KitRun(server, requests, server.RunAsync(stop.Token));
        _runs[(kitCase.Name, run)] = live;
        _lives.Add(LiveAsync(kitCase.Name, run, live, stop));
        _lives.RemoveAll(t => t.IsCompleted);
        _log.Information("Kit: case {Case} run {Run} started ({Count} runs live)", kitCase.Name, run, _runs.Count);
        return live;
    }

    private async Task LiveAsync(string name, string run, KitRun live, CancellationTokenSource stop)
    {
        try
        {
            await Task.Delay(Lifetime, time, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown: end it now.
        }

        lock (_lock)
        {
            _runs.Remove((name, run));
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await live.Running.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _log.Error(ex, "Kit: case {Case} run {Run} failed", name, run);
        }
        finally
        {
            await live.Server.DisposeAsync().ConfigureAwait(false);
            stop.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] lives;
        lock (_lock)
        {
            _stopped = true;
            lives = [.. _lives];
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(lives).ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <param name="Running">The server's <see cref="SseFlightsServer.RunAsync"/>, which ends when the run is stopped.</param>
    private sealed record KitRun(SseFlightsServer Server, RequestLog Requests, Task Running);
}

/// <summary>What became of a request for a case's stream.</summary>
internal enum KitServe
{
    /// <summary>The run has it.</summary>
    Served,

    /// <summary>No room for another run: 503.</summary>
    Full,

    /// <summary>The kit is shutting down: 503.</summary>
    Stopping,
}
