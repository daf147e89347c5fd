using System.Globalization;
using Serilog;
using SseFlights.Scenario;
using SseFlights.Sources;

namespace SseFlights.Nats;

/// <summary>Why a feed stopped.</summary>
internal enum FeedEnd
{
    /// <summary>Every entry of a scenario played once was published (the close, if it has one, last).</summary>
    Ended,

    /// <summary>Asked to stop (Ctrl+C, SIGTERM); what was published stays published.</summary>
    Stopped,
}

/// <summary>
/// Plays a scenario's timeline into the log on the scenario's own clock (<see cref="ScenarioClock"/>,
/// so each entry is due at its offset from the start divided by the speed, never drifting): every
/// entry as its message, drops, live-only frames and the close included, and each repeat cycle's start
/// as <c>{"action":"reset"}</c>. Each message carries an id unique to this run and step, so the log
/// drops a copy its client resent.
/// </summary>
internal sealed class ScenarioFeeder(ScenarioDefinition scenario, double speed, ILogAppender target, TimeProvider time, ILogger log)
{
    private readonly ILogger _log = log.ForContext<ScenarioFeeder>();
    private readonly string _run = Guid.NewGuid().ToString("N");

    /// <summary>Messages published so far; the tests watch it.</summary>
    public long Published => Interlocked.Read(ref _published);

    private long _published;

    /// <summary>
    /// Publishes until the timeline ends (a scenario played once) or <paramref name="stop"/> is cancelled.
    /// With <paramref name="resetFirst"/> it begins with a reset: the stream holds an earlier run, whose
    /// board the first entries would not fit. Throws <see cref="LogUnavailableException"/> when a publish fails.
    /// </summary>
    public async Task<FeedEnd> RunAsync(bool resetFirst, CancellationToken stop)
    {
        if (scenario.Timeline.Count == 0)
        {
            // Nothing to play; a repeating scenario would only publish resets (and the clock needs an entry to time).
            return FeedEnd.Ended;
        }

        var clock = new ScenarioClock(scenario, speed, time.GetTimestamp(), time.TimestampFrequency);
        try
        {
            if (resetFirst)
            {
                long sequence = await AppendAsync(LogMessageCodec.EncodeReset(), "start", stop).ConfigureAwait(false);
                _log.Information("The stream holds an earlier run: reset the board as sequence {Sequence}", sequence);
            }

            while (!clock.Ended)
            {
                long wait = clock.TicksUntilNext(time.GetTimestamp())!.Value;
                if (wait > 0)
                {
                    // Timers work in whole milliseconds: round up, and look again on waking, so nothing goes out early.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait * 1000.0 / time.TimestampFrequency)), time, stop).ConfigureAwait(false);
                    continue;
                }

                var step = clock.Next;
                clock.Advance();
                await PublishAsync(step, clock.EntryOf(step), stop).ConfigureAwait(false);
            }

            return FeedEnd.Ended;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return FeedEnd.Stopped;
        }
    }

    private async Task PublishAsync(TimelineStep step, TimelineEntry? entry, CancellationToken stop)
    {
        string id = string.Create(CultureInfo.InvariantCulture, $"{step.Cycle}.{step.Index}");
        if (entry is null)
        {
            long sequence = await AppendAsync(LogMessageCodec.EncodeReset(), id, stop).ConfigureAwait(false);
            _log.Information("Cycle {Cycle} begins: reset published as sequence {Sequence}", step.Cycle + 1, sequence);
            return;
        }

        long published = await AppendAsync(LogMessageCodec.Encode(entry), id, stop).ConfigureAwait(false);
        _log.Debug("Entry {Index} at {At}s published as sequence {Sequence}: {Kind} {EventName}", entry.Index, entry.At, published, entry.Kind, entry.EventName);
    }

    private async Task<long> AppendAsync(byte[] body, string step, CancellationToken stop)
    {
        long sequence = await target.AppendAsync(body, $"{_run}.{step}", stop).ConfigureAwait(false);
        Interlocked.Increment(ref _published);
        return sequence;
    }
}
