using Serilog;
using SseFlights.Delivery;
using SseFlights.Hub;
using SseFlights.Scenario;

namespace SseFlights.Nats;

/// <summary>
/// Events older than a replica's history, read back from the log by sequence for a client resuming
/// from an old id, while the log still holds them. Each is decoded and encoded as the replicas encoded
/// it live (the same bytes for the same id); messages that became no event are skipped, those whose
/// fate depended on the board by <see cref="SkippedSequences"/>. Read outside the hub's lock; the join
/// then meets them with the history (<see cref="ResendWithOlder"/>). Anything it cannot vouch for
/// (the log unreachable, a message discarded, a stretch this replica never applied) gets null, and the
/// join falls back to a snapshot.
/// </summary>
internal sealed class LogResend(
    EventHub hub, ScenarioDefinition scenario, ILogReader reader, SkippedSequences skipped, ILogger log, int maxMessages = LogResend.DefaultMaxMessages)
    : IOlderEventSource
{
    /// <summary>The most messages one resume reads back; a client further behind gets a snapshot, as cheap as it gets.</summary>
    public const int DefaultMaxMessages = 10_000;

    private readonly ILogger _log = log.ForContext<LogResend>();
    private readonly LogMessageCodec _codec = new(scenario.CustomEvents);
    private readonly FrameEncoder _encoder = new(scenario.Wire.LineEnding);

    public async Task<OlderEvents?> FetchAsync(string? lastEventId, CancellationToken cancellationToken)
    {
        if (!JoinPlan.TryParseLastEventId(lastEventId, out long after, out _))
        {
            return null;
        }

        long floor = hub.HistoryFloor();
        if (after >= floor || after < skipped.KnownAfter || floor - after > maxMessages)
        {
            return null;
        }

        var frames = new List<Frame>();
        try
        {
            for (long sequence = after + 1; sequence <= floor; sequence++)
            {
                if (await reader.GetAsync(sequence, cancellationToken).ConfigureAwait(false) is not { } record)
                {
                    _log.Debug("Resume after {LastEventId}: message {Sequence} is no longer in the log; a snapshot instead", after, sequence);
                    return null;
                }

                if (!skipped.Contains(sequence) && Frame(record) is { } frame)
                {
                    frames.Add(frame);
                }
            }
        }
        catch (LogUnavailableException ex)
        {
            _log.Debug("Resume after {LastEventId}: {Reason}; a snapshot instead", after, ex.Message);
            return null;
        }

        _log.Debug("Resume after {LastEventId}: {Count} events read back from the log up to {Floor}", after, frames.Count, floor);
        return new OlderEvents(after, floor, frames);
    }

    /// <summary>The frame this message became on every replica, or null if it became none.</summary>
    private Frame? Frame(LogRecord record) => _codec.Decode(record.Sequence, record.Payload) switch
    {
        LogEntry { Entry: { IsEvent: true } entry } => _encoder.Event(entry, record.Sequence, due: 0),
        LogReset => _encoder.Snapshot(scenario.Flights, record.Sequence),
        _ => null,
    };
}
