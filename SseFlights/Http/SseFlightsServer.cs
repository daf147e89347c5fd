using System.Net;
using System.Diagnostics.Metrics;
using Serilog;
using SseFlights.Delivery;
using SseFlights.Hub;
using SseFlights.Sources;
using SseFlights.Http.Listener;
using SseFlights.Metrics;

namespace SseFlights.Http;

/// <summary>
/// The listener and its accept loop, the scenario clock and the shared ticker, and an orderly
/// shutdown: refuse new streams, end open ones cleanly, wait for them, then stop listening.
/// Owns the meter and its listener, and disposes them last.
/// </summary>
internal sealed class SseFlightsServer(
    IReadOnlyList<string> prefixes,
    Router router,
    EventHub hub,
    StreamSessions sessions,
    IEventSource player,
    ClientMonitor monitor,
    ListenerInternals internals,
    Meter meter,
    MetricsRegistry registry,
    TimeProvider time,
    ILogger log)
    : IAsyncDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMilliseconds(1500);

    /// <summary>After the clock fails, how long /healthz keeps saying why before the process exits, so a load balancer sees it.</summary>
    public static readonly TimeSpan FailureLinger = TimeSpan.FromSeconds(3);

    private readonly ILogger _log = log.ForContext<SseFlightsServer>();
    private readonly RequestLoop _requests = new(router.HandleAsync, internals, log);

    // The server's lifetime, handed to every request: cancelled when shutdown begins.
    private readonly CancellationTokenSource _lifetime = new();
    private ListenerHost? _listener;

    /// <summary>Completes when the timeline has played to its end (never, for a repeating scenario).</summary>
    public Task? Timeline { get; private set; }

    /// <summary>
    /// Starts listening; a start that fails throws <see cref="ServerStartException"/> with one line for the user.
    /// A server with no prefixes listens nowhere: it is handed its requests by <see cref="Serve"/> (the kit's case runs).
    /// </summary>
    public void Start() => _listener = prefixes.Count == 0 ? null : ListenerHost.Start(prefixes, _log);

    /// <summary>Answers a request another listener accepted, tracked like one of its own (call it while <see cref="RunAsync"/> runs).</summary>
    public void Serve(HttpListenerContext context) => _requests.Serve(context, _lifetime.Token);

    /// <summary>
    /// Serves until <paramref name="stopping"/> is cancelled (a stop signal), or until the scenario
    /// clock fails, then shuts down in order: stop accepting, end the open streams (over
    /// <paramref name="drain"/> when it is longer than zero, or at once when <paramref name="stopNow"/>
    /// is cancelled: a second signal), wait for them, close. A failed clock is never silent: it is
    /// logged, /healthz says so, every stream ends, and the result tells the caller to exit non-zero
    /// so a supervisor restarts it.
    /// </summary>
    public async Task<ServerExit> RunAsync(CancellationToken stopping, TimeSpan drain = default, CancellationToken stopNow = default)
    {
        var listener = _listener;
        if (listener is null && prefixes.Count > 0)
        {
            throw new InvalidOperationException("Start the server before running it.");
        }

        using var background = new CancellationTokenSource();
        var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Timeline = WatchClockAsync(player.RunAsync(background.Token), stopRequested);
        var ticker = Guard(monitor.RunAsync(background.Token), "client monitor");
        using var accepting = new CancellationTokenSource();
        var acceptLoop = listener is null ? Task.CompletedTask : _requests.RunAsync(listener, _lifetime.Token, accepting.Token);

        await using (stopping.Register(() => stopRequested.TrySetResult()))
        {
            await stopRequested.Task.ConfigureAwait(false);
        }

        if (hub.Failure is not null)
        {
            await Task.Delay(FailureLinger, time, CancellationToken.None).ConfigureAwait(false);
        }

        // Stop accepting before ending a stream, so a client reconnecting from one of them finds this
        // replica refusing connections and lands on another (nginx's proxy_next_upstream for a connect error).
        listener?.StopAccepting();
        hub.Stop();
        if (drain > TimeSpan.Zero && hub.Failure is null)
        {
            var open = sessions.Copy();
            _log.Information("Shutting down: stopped accepting, ending {Count} open streams over {Seconds}s", open.Length, drain.TotalSeconds);
            await StreamDrain.EndEvenlyAsync(open, drain, time, stopNow).ConfigureAwait(false);
        }
        else
        {
            _log.Information("Shutting down: stopped accepting, ending {Count} open streams", sessions.Count);
        }

        await background.CancelAsync().ConfigureAwait(false);
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await WaitAsync(sessions.WhenAllEndedAsync(), DrainTimeout, "streams").ConfigureAwait(false);
        await sessions.DisposeAllAsync().ConfigureAwait(false);
        await WaitAsync(_requests.WhenAllEndedAsync(), DrainTimeout, "requests").ConfigureAwait(false);

        await accepting.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(acceptLoop, Timeline, ticker).ConfigureAwait(false);
        listener?.Dispose();
        return hub.Failure is null ? ServerExit.Stopped : ServerExit.ClockFailed;
    }

    /// <summary>Awaits the scenario clock; if it faults, marks the hub failed (ending every stream) and asks for shutdown.</summary>
    private async Task WatchClockAsync(Task clock, TaskCompletionSource stopRequested)
    {
        try
        {
            await clock.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
        catch (Exception ex)
        {
            _log.Error(ex, "The scenario clock failed; ending every stream and stopping so a supervisor can restart the server");
            hub.Fail($"the scenario clock failed: {ex.Message}");
            stopRequested.TrySetResult();
        }
    }

    /// <summary>Waits for <paramref name="work"/> on the server's clock, at most <paramref name="timeout"/>.</summary>
    private async Task WaitAsync(Task work, TimeSpan timeout, string what)
    {
        try
        {
            await work.WaitAsync(timeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _log.Warning("Some {What} were still running {Seconds}s into shutdown", what, timeout.TotalSeconds);
        }
    }

    private async Task Guard(Task task, string what)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
        catch (Exception ex)
        {
            _log.Error(ex, "The {What} stopped unexpectedly", what);
        }
    }

    public ValueTask DisposeAsync()
    {
        _lifetime.Dispose();
        _listener?.Dispose();
        registry.Dispose();
        meter.Dispose();
        return ValueTask.CompletedTask;
    }
}
