using Serilog;
using SseFlights.Hub;
using SseFlights.Scenario;
using SseFlights.Sources;

namespace SseFlights.Nats;

/// <summary>
/// Applies the log's messages to the hub, one at a time and in order, each as its sequence: an event
/// gets the sequence as its id, checked against the board inside the hub's lock (so every replica, at
/// the same point of the same log, makes the same decision); a reset puts the scenario's flights back
/// as that id's snapshot; a drop ends every stream; a comment, retry or raw frame goes to the open
/// streams. A refused message is logged once with its sequence and the validator's reason, counted,
/// and becomes nothing. Not thread-safe: one reader applies.
/// </summary>
internal sealed class LogApplier(EventHub hub, SkippedSequences skipped, AppliedOutcomes outcomes, ILogObserver observer, ILogger log)
{
    private readonly ILogger _log = log.ForContext<LogApplier>();
    private long _applied;

    /// <summary>The last sequence applied (or the stored board's, before any); read from any thread.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Before the first message: the replica starts from a board stored at <paramref name="sequence"/>.</summary>
    public void StartAfter(long sequence) => Interlocked.Exchange(ref _applied, sequence);

    /// <param name="due">The timestamp the event counts its delivery latency from (when the log stored it).</param>
    /// <param name="replay">Catching up at start: no stream is open, so drops and live-only frames have no one to go to.</param>
    public LogOutcome Apply(LogMessage message, long due, bool replay)
    {
        long sequence = message.Sequence;
        if (sequence <= Applied)
        {
            throw new ArgumentOutOfRangeException(nameof(message), sequence, $"sequence {sequence} is not after the last one applied, {Applied}");
        }

        if (sequence > Applied + 1 && Applied > 0)
        {
            // The stream's bound discarded them before this replica read them (it was away longer than the stream keeps).
            _log.Warning("Sequences {First} to {Last} were discarded from the log before this replica read them; the board may differ from the other replicas' until the next reset", Applied + 1, sequence - 1);
        }

        var outcome = message switch
        {
            LogReset => Reset(sequence, due, replay),
            LogEntry entry => ApplyEntry(entry, due, replay),
            LogRefusal refusal => Refuse(sequence, string.Join("; ", refusal.Errors)),
            _ => throw new ArgumentOutOfRangeException(nameof(message), message.GetType().Name, null),
        };
        Interlocked.Exchange(ref _applied, sequence);
        outcomes.Record(outcome);
        return outcome;
    }

    private LogOutcome Reset(long sequence, long due, bool replay)
    {
        hub.Reset(sequence, due, replay);
        _log.Information("Sequence {Sequence} resets the board to the scenario's flights: snapshot sent as event {EventId}", sequence, sequence);
        return new LogOutcome(sequence, LogOutcomeKind.Event);
    }

    private LogOutcome ApplyEntry(LogEntry message, long due, bool replay)
    {
        long sequence = message.Sequence;
        var entry = message.Entry;
        if (entry.Kind == EntryKind.Drop)
        {
            int dropped = replay ? 0 : hub.DropAll();
            _log.Information("Sequence {Sequence} drops every stream: cut {Count}", sequence, dropped);
            return new LogOutcome(sequence, LogOutcomeKind.Applied);
        }

        if (entry.IsLiveOnly)
        {
            if (!replay)
            {
                hub.PublishLive(entry, due);
            }

            _log.Debug("Sequence {Sequence}: live-only {Kind} frame", sequence, entry.Kind);
            return new LogOutcome(sequence, LogOutcomeKind.Applied);
        }

        string? problem = null;
        var frame = hub.PublishIf(entry, onBoard => (problem = message.BoardProblem(onBoard)) is null, due, replay, id: sequence);
        if (frame is not null)
        {
            _log.Debug("Event {EventId} {EventName}: {Data}", frame.Id, frame.EventType, entry.Data);
            if (frame.EndsStream)
            {
                _log.Information("The board has closed with event {EventId}; new streams get 204 No Content until a reset", frame.Id);
            }

            return new LogOutcome(sequence, LogOutcomeKind.Event);
        }

        skipped.Add(sequence);
        if (problem is not null)
        {
            return Refuse(sequence, problem);
        }

        _log.Information("Sequence {Sequence} ({EventName}) comes after the board's close: no event", sequence, entry.EventName);
        return new LogOutcome(sequence, LogOutcomeKind.AfterClose, "the board has closed");
    }

    /// <summary>One line: the reason names the sequence and where in the message ("sequence 7:1:2: event: ...").</summary>
    private LogOutcome Refuse(long sequence, string reason)
    {
        _log.ForContext("Sequence", sequence).Warning("Refused {Reason}", reason);
        observer.MessageRefused();
        return new LogOutcome(sequence, LogOutcomeKind.Refused, reason);
    }
}
