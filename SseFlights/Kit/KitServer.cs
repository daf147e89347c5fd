using Serilog;
using SseFlights.Http;
using SseFlights.Http.Listener;

namespace SseFlights.Kit;

/// <summary>
/// <c>sseflights kit</c>: one listener for the page and every case's runs, an accept loop, and an orderly
/// shutdown: stop accepting, end every run (their streams end cleanly), wait for the kit's own requests.
/// </summary>
internal sealed class KitServer(IReadOnlyList<string> prefixes, KitRouter router, KitRuns runs, ListenerInternals internals, TimeProvider time, ILogger log) : IAsyncDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMilliseconds(1500);

    private readonly ILogger _log = log.ForContext<KitServer>();
    private readonly RequestLoop _requests = new((context, _) => router.HandleAsync(context), internals, log);
    private ListenerHost? _listener;

    /// <summary>Starts listening; a start that fails throws <see cref="ServerStartException"/> with one line for the user.</summary>
    public void Start() => _listener = ListenerHost.Start(prefixes, _log);

    /// <summary>Serves until <paramref name="stopping"/> is cancelled, then shuts down in order.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var listener = _listener ?? throw new InvalidOperationException("Start the kit before running it.");
        using var accepting = new CancellationTokenSource();
        var acceptLoop = _requests.RunAsync(listener, CancellationToken.None, accepting.Token);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (stopping.Register(() => stopped.TrySetResult()))
        {
            await stopped.Task.ConfigureAwait(false);
        }

        listener.StopAccepting();
        _log.Information("Shutting down: stopped accepting, ending {Count} runs", runs.Count);
        await runs.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _requests.WhenAllEndedAsync().WaitAsync(DrainTimeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _log.Warning("Some requests were still running {Seconds}s into shutdown", DrainTimeout.TotalSeconds);
        }

        await accepting.CancelAsync().ConfigureAwait(false);
        await acceptLoop.ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _listener?.Dispose();
        return ValueTask.CompletedTask;
    }
}
