using System.Collections.Concurrent;
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
/// join falls back to a snapshot. Clients resuming from the same id at once (a replica's clients after it
/// was killed) share one read, and at most <see cref="MaxConcurrentReads"/> reads go to the log at a time.
/// </summary>
internal sealed class LogResend(
    EventHub hub, ScenarioDefinition scenario, ILogReader reader, SkippedSequences skipped, ILogger log, int maxMessages = LogResend.DefaultMaxMessages)
    : IOlderEventSource
{
    /// <summary>The most messages one resume reads back; a client further behind gets a snapshot, as cheap as it gets.</summary>
    public const int DefaultMaxMessages = 10_000;

    /// <summary>Reads back from the log at once, at most; more resumes wait their turn.</summary>
    public const int MaxConcurrentReads = 4;

    private readonly ILogger _log = log.ForContext<LogResend>();
    private readonly LogMessageCodec _codec = new(scenario.CustomEvents);
    private readonly FrameEncoder _encoder = new(scenario.Wire.LineEnding);
    private readonly SemaphoreSlim _reads = new(MaxConcurrentReads);
    private readonly ConcurrentDictionary<(long After, long Floor), Lazy<Task<OlderEvents?>>> _inFlight = new();

    /// <param name="cancellationToken">The server's lifetime: a shared read is not stopped by one client leaving.</param>
    public Task<OlderEvents?> FetchAsync(string? lastEventId, CancellationToken cancellationToken)
    {
        if (!JoinPlan.TryParseLastEventId(lastEventId, out long after, out _))
        {
            return Task.FromResult<OlderEvents?>(null);
        }

        long floor = hub.HistoryFloor();
        if (after >= floor || after < skipped.KnownAfter || floor - after > maxMessages)
        {
            return Task.FromResult<OlderEvents?>(null);
        }

        return _inFlight.GetOrAdd((after, floor), key => new Lazy<Task<OlderEvents?>>(() => ReadSharedAsync(key.After, key.Floor, cancellationToken))).Value;
    }

    private async Task<OlderEvents?> ReadSharedAsync(long after, long floor, CancellationToken cancellationToken)
    {
        try
        {
            await _reads.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await ReadAsync(after, floor, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _reads.Release();
            }
        }
        finally
        {
            _inFlight.TryRemove((after, floor), out _);
        }
    }

    private async Task<OlderEvents?> ReadAsync(long after, long floor, CancellationToken cancellationToken)
    {
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
