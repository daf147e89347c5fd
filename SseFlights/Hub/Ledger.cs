using SseFlights.Board;
using SseFlights.Delivery;
using SseFlights.Scenario;

namespace SseFlights.Hub;

/// <summary>
/// What the hub remembers: the board as of the newest id, that id, the resend history, the snapshot
/// for it (encoded once however many clients join: a reconnect storm), and once the board has closed,
/// its final board and the close. Every frame with an id is made here, numbered in order. Not
/// thread-safe: the hub's lock guards it.
/// </summary>
internal sealed class Ledger(ScenarioDefinition scenario, int historySize) : IJoinFrames
{
    private readonly FrameEncoder _encoder = new(scenario.Wire.LineEnding);
    private readonly FlightBoard _board = new(scenario.Flights);
    private readonly EventHistory _history = new(historySize);
    private Frame? _snapshot;

    // The close, and the board as of the event before it, which a late client gets with that id, then the close.
    private Frame[]? _finalSnapshotThenClose;

    public long LastId { get; private set; }

    public bool Closed => _finalSnapshotThenClose is not null;

    /// <summary>Whether nothing has been recorded yet (a replica may still rewind).</summary>
    public bool IsEmpty => LastId == 0 && _history.Count == 0;

    public BoardState State() => new(LastId, Closed, _board.Copy());

    /// <summary>The flight codes on the board now, for an entry checked against it.</summary>
    public IReadOnlyCollection<string> Codes() => [.. _board.Rows.Select(f => f.Code)];

    /// <summary>Every event with an id above this is in the resend history.</summary>
    public long HistoryFloor => _history.Floor;

    /// <summary>Applies an event to the board and makes it the next id's frame, remembered for resend.</summary>
    public Frame Record(TimelineEntry entry, long due) => Record(entry, LastId + 1, due);

    /// <summary>
    /// Applies an event to the board as event <paramref name="id"/>, above every id so far: a live log's
    /// sequence, where the ids between belong to messages that became no event.
    /// </summary>
    public Frame Record(TimelineEntry entry, long id, long due)
    {
        if (id <= LastId)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"ids must increase; the newest is {LastId}");
        }

        if (entry.Change is { } change)
        {
            _board.Apply(entry.Kind, change);
        }

        var frame = _encoder.Event(entry, id, due);
        if (frame.EndsStream)
        {
            // The close does not change the board, so the board as of the event before it is also the final board.
            _finalSnapshotThenClose = [_encoder.Snapshot(_board.Rows, LastId), frame];
        }

        return Remember(frame);
    }

    /// <summary>A repeat cycle's start: the board back to the scenario's flights, as the next id's snapshot.</summary>
    public Frame StartCycle(long due)
    {
        _board.Reset(scenario.Flights);
        return Remember(_encoder.Snapshot(_board.Rows, LastId + 1, due));
    }

    /// <summary>
    /// A live log's reset, as event <paramref name="id"/>: the board back to the scenario's flights and
    /// open again if it had closed (a new run of the feeder), as that id's snapshot.
    /// </summary>
    public Frame Reset(long id, long due)
    {
        if (id <= LastId)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"ids must increase; the newest is {LastId}");
        }

        _board.Reset(scenario.Flights);
        _finalSnapshotThenClose = null;
        return Remember(_encoder.Snapshot(_board.Rows, id, due));
    }

    /// <summary>Before anything is recorded, for a replica starting from a stored board: <paramref name="flights"/> as of event <paramref name="lastId"/>, which is not in the history.</summary>
    public void Restore(IReadOnlyList<Flight> flights, long lastId)
    {
        _board.Reset(flights);
        Rewind(lastId);
    }

    /// <summary>A live-only frame (comment, retry, raw): no id, not remembered.</summary>
    public Frame LiveOnly(TimelineEntry entry, long due) => _encoder.LiveOnly(entry, due);

    /// <summary>Before anything is recorded, for a replica catching up to an epoch: the next id will be <paramref name="lastId"/> + 1.</summary>
    public void Rewind(long lastId)
    {
        LastId = lastId;
        _snapshot = null;
        _history.StartAfter(lastId);
    }

    public bool TryResendAfter(long id, out Frame[] missed)
    {
        bool held = _history.TryGetAfter(id, LastId, out missed);
        missed = ResendWithOlder.UpToTheClose(missed);
        return held;
    }

    public Frame Snapshot() => _snapshot ??= _encoder.Snapshot(_board.Rows, LastId);

    public Frame[] FinalSnapshotThenClose() => _finalSnapshotThenClose!;

    private Frame Remember(Frame frame)
    {
        LastId = frame.Id;
        _snapshot = null;
        _history.Add(frame);
        return frame;
    }
}
