using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using SseFlights.Http;

namespace SseFlights.Tests.Support;

/// <summary>
/// A test server's logger that keeps every <c>GET /events</c> the server was asked, from the Debug
/// line it writes before answering (<see cref="EventStreamEndpoint.RequestTemplate"/>): requests
/// counted on the server's side, 204, 307, 500 and wrong-type answers included.
/// </summary>
internal sealed class StreamRequests
{
    private readonly ConcurrentQueue<(DateTimeOffset At, string Client)> _seen = new();
    private readonly TaskCompletionSource<DateTimeOffset> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _lines = new();

    // Nothing to release (an in-memory sink), so the logger is never disposed.
    public StreamRequests() => Logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(new Sink(this)).CreateLogger();

    /// <summary>The logger to build the server with.</summary>
    public ILogger Logger { get; }

    public int Count => _seen.Count;

    /// <summary>The requests by the <c>client</c> query value they gave, in order of first request: "eventsource 3, redirected 1".</summary>
    public string ByClient => string.Join(", ", _seen.GroupBy(r => r.Client).Select(g => $"{g.Key} {g.Count()}"));

    /// <summary>The server's Information-and-above lines so far, rendered, for a failure message.</summary>
    public string Log => string.Join(Environment.NewLine, _lines);

    /// <summary>When the first request arrived; throws if none comes within <paramref name="timeout"/> (no Assert: it may run outside a test).</summary>
    public async Task<DateTimeOffset> FirstAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _first.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the client made no GET /events within {timeout.TotalSeconds:0} s");
        }
    }

    private void Add(DateTimeOffset at, string client)
    {
        _seen.Enqueue((at, client));
        _first.TrySetResult(at);
    }

    private sealed class Sink(StreamRequests requests) : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            if (logEvent.Level >= LogEventLevel.Information && requests._lines.Count < 200)
            {
                requests._lines.Enqueue($"{logEvent.Timestamp:HH:mm:ss.fff} {logEvent.RenderMessage()}");
            }

            if (logEvent.MessageTemplate.Text == EventStreamEndpoint.RequestTemplate)
            {
                string client = logEvent.Properties.TryGetValue("Client", out var value) && value is ScalarValue { Value: string name } ? name : "(none)";
                requests.Add(logEvent.Timestamp, client);
            }
        }
    }
}
