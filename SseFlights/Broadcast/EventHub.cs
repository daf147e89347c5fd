using Serilog;
using SseFlights.Board;
using SseFlights.Scenario;
using SseFlights.Sse;

namespace SseFlights.Broadcast;

/// <summary>
/// The one truth every client shares: the board, the event ids, the resend history and the open
/// streams. A single lock makes "apply, number, remember, offer to everyone" and "join: snapshot
/// or resend, then subscribe" atomic with respect to each other, so a joining client can neither
/// miss nor repeat an event. Nothing under the lock waits on a socket: offers only queue.
/// </summary>
internal sealed class EventHub(ScenarioDefinition scenario, int historySize, int maxClients, ILogger log)
{
    private readonly Lock _gate = new();
    private readonly FlightBoard _board = new(scenario.Flights);
    private readonly EventHistory _history = new(historySize);
    private readonly ILogger _log = log.ForContext<EventHub>();

    // Mutated and iterated only under the lock: joining is O(1) even with ten thousand streams open.
    private readonly HashSet<IEventSubscriber> _clients = [];

    // Clients that resumed from an id a little ahead of ours (another replica's clock runs ahead):
    // each gets nothing up to and including its id. Under the lock, like _clients.
    private readonly Dictionary<IEventSubscriber, long> _held = [];
    private long _lastId;
    private bool _closed;
    private bool _stopping;
    private string? _failure;
    private EncodedEvent? _closeFrame;
    private EncodedEvent? _finalSnapshot;

    // The snapshot for the current _lastId, encoded once however many clients join (a reconnect storm).
    private EncodedEvent? _snapshot;

    /// <summary>A copy of the open streams, for work done outside the lock (ticks, drops, shutdown).</summary>
    public IEventSubscriber[] Clients()
    {
        lock (_gate)
        {
            return [.. _clients];
        }
    }

    public int ClientCount
    {
        get
        {
            lock (_gate)
            {
                return _clients.Count;
            }
        }
    }

    public BoardState Board()
    {
        lock (_gate)
        {
            return new BoardState(_lastId, _closed, _board.Copy());
        }
    }

    /// <summary>Why the server can no longer serve (the scenario clock failed), or null while it can.</summary>
    public string? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }
    }

    public (long LastEventId, bool Closed) Progress()
    {
        lock (_gate)
        {
            return (_lastId, _closed);
        }
    }

    /// <summary>
    /// With replicas: the newest id this replica will have reached within <c>--skew</c> of wall-clock
    /// time. A Last-Event-ID up to it is held until reached instead of answered with a snapshot.
    /// Null (one node) keeps ids beyond the newest a snapshot. Set once, before the server starts.
    /// </summary>
    public Func<long>? HoldHorizon { get; set; }

    /// <summary>Events the resend history holds at most (a replica replays enough of the past to fill it).</summary>
    public int HistoryCapacity => historySize;

    /// <summary>
    /// Before the clock runs, for a replica catching up to an epoch: the next id issued will be
    /// <paramref name="lastId"/> + 1. Only valid while nothing has been published and nobody has joined.
    /// </summary>
    public void Rewind(long lastId)
    {
        lock (_gate)
        {
            if (_lastId != 0 || _clients.Count > 0 || _history.Count > 0)
            {
                throw new InvalidOperationException("Rewind is only for a hub that has not started.");
            }

            _lastId = lastId;
            _snapshot = null;
        }
    }

    /// <summary>Applies a timeline event due at timestamp <paramref name="due"/> to the board, gives it the next id, and offers it to every client.</summary>
    public EncodedEvent Publish(TimelineEntry entry, long due = 0)
    {
        EncodedEvent frame;
        FanoutBatch batch;
        lock (_gate)
        {
            frame = PublishLocked(entry, due, out batch);
        }

        batch.Finish(_log, frame.Id);
        return frame;
    }

    /// <summary>
    /// A live entry from the control API: checked against the board as it is at this moment and,
    /// if it applies and the board is open, published exactly like a timeline event, in one step.
    /// Null when refused (closed board, or <paramref name="canApply"/> said no).
    /// </summary>
    public EncodedEvent? PublishIf(TimelineEntry entry, Func<IReadOnlyCollection<string>, bool> canApply)
    {
        EncodedEvent frame;
        FanoutBatch batch;
        lock (_gate)
        {
            if (_closed || !canApply(_board.Rows.Select(f => f.Code).ToList()))
            {
                return null;
            }

            frame = PublishLocked(entry, 0, out batch);
        }

        // Waking a writer or cutting a stream touches its socket: never under the lock.
        batch.Finish(_log, frame.Id);
        return frame;
    }

    /// <summary>Apply, number, remember, offer; call under the lock, and finish <paramref name="batch"/> after it.</summary>
    private EncodedEvent PublishLocked(TimelineEntry entry, long due, out FanoutBatch batch)
    {
        if (entry.Change is { } change)
        {
            _board.Apply(entry.Kind, change);
        }

        byte[] bytes = SseFormatter.FormatEvent(entry.EventName, entry.Data, _lastId + 1, scenario.Wire.LineEnding);
        var frame = new EncodedEvent(_lastId + 1, entry.EventName, bytes, entry.Kind == EntryKind.Close, due) { Split = entry.Split };
        if (frame.EndsStream)
        {
            // The close does not change the board, so the board as of the event before it is also
            // the final board; a late client gets it with that id, then the close: no id twice.
            _finalSnapshot = EncodeSnapshot(_lastId);
            _closed = true;
            _closeFrame = frame;
        }

        batch = Fanout(frame);
        return frame;
    }

    /// <summary>
    /// Offers a live-only frame (a comment, retry or raw entry) to the streams open now, like a
    /// heartbeat: no id, no history, no board change.
    /// </summary>
    public EncodedEvent PublishLive(TimelineEntry entry, long due = 0)
    {
        var frame = LiveFrames.Encode(entry, scenario.Wire.LineEnding) with { Due = due };
        FanoutBatch batch;
        long lastId;
        lock (_gate)
        {
            lastId = _lastId;
            batch = new FanoutBatch(_clients.Count);
            foreach (var client in _clients)
            {
                batch.Offer(client, frame);
            }
        }

        batch.Finish(_log, lastId);
        return frame;
    }

    /// <summary>A repeat cycle begins: the board goes back to the scenario's flights and everyone gets a snapshot event.</summary>
    public EncodedEvent StartCycle(long due = 0)
    {
        EncodedEvent frame;
        FanoutBatch batch;
        lock (_gate)
        {
            _board.Reset(scenario.Flights);
            frame = EncodeSnapshot(_lastId + 1) with { Due = due };
            batch = Fanout(frame);
        }

        batch.Finish(_log, frame.Id);
        return frame;
    }

    /// <summary>
    /// The scenario's drop action: every open stream ends without another event. The chunked body
    /// is closed properly, so clients reconnect as after any lost stream, and browsers log no
    /// network error for it.
    /// </summary>
    public int DropAll()
    {
        var clients = Clients();
        foreach (var client in clients)
        {
            client.Finish(StreamEndReason.Drop);
        }

        return clients.Length;
    }

    /// <summary>Server shutdown: new streams are closed unanswered (the server's lifetime token ends the open ones).</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
        }
    }

    /// <summary>
    /// The scenario clock has failed: no further event will come, so new streams are refused and
    /// open ones end cleanly (their clients reconnect, to a restarted server, with Last-Event-ID).
    /// </summary>
    public void Fail(string reason)
    {
        lock (_gate)
        {
            _failure ??= reason;
            _stopping = true;
        }

        foreach (var client in Clients())
        {
            client.Finish(StreamEndReason.Failure);
        }
    }

    /// <summary>
    /// Decides how a new stream starts and, unless it is refused or has nothing to get, subscribes
    /// it in the same step, so the frames returned and the live events that follow meet exactly.
    /// </summary>
    public JoinPlan Join(IEventSubscriber client, string? lastEventId)
    {
        lock (_gate)
        {
            var plan = Decide(lastEventId);
            if (!scenario.Snapshot)
            {
                plan = WithoutSnapshot(plan);
            }

            if (plan.Kind is not (JoinKind.NoContent or JoinKind.Refused or JoinKind.ShuttingDown) && !plan.EndsStream)
            {
                _clients.Add(client);
                if (plan.HeldUntil is { } held)
                {
                    _held[client] = held;
                }
            }

            return plan;
        }
    }

    /// <summary>
    /// The plan a <see cref="Join"/> with this id would get now, without joining (HEAD /events):
    /// it takes no slot, so a page whose EventSource gave up can ask why at no cost.
    /// </summary>
    public JoinPlan Peek(string? lastEventId)
    {
        lock (_gate)
        {
            return Decide(lastEventId);
        }
    }

    private JoinPlan Decide(string? lastEventId)
    {
        var plan = Plan(lastEventId);
        bool wantsSlot = plan.Kind != JoinKind.NoContent && !plan.EndsStream;
        // A failed clock keeps its 503 (the process exits; the page retries it); a shutdown closes unanswered.
        if (wantsSlot && _stopping && _failure is null)
        {
            return new JoinPlan(JoinKind.ShuttingDown, [], "the server is shutting down");
        }

        if (wantsSlot && (_stopping || _clients.Count >= maxClients))
        {
            return new JoinPlan(JoinKind.Refused, [], _stopping ? _failure! : $"the server is at its limit of {maxClients} streams");
        }

        return plan;
    }

    public void Leave(IEventSubscriber client)
    {
        lock (_gate)
        {
            _clients.Remove(client);
            _held.Remove(client);
        }
    }

    private JoinPlan Plan(string? raw)
    {
        bool parsed = JoinPlan.TryParseLastEventId(raw, out long id, out LastEventIdProblem problem);
        if (raw is null)
        {
            return _closed ? new(JoinKind.NoContent, [], "the board has closed") : new(JoinKind.Snapshot, [Snapshot()], "new client");
        }

        if (!parsed)
        {
            return _closed && problem == LastEventIdProblem.NotANumber
                ? new(JoinKind.NoContent, [], "the board has closed")
                : new(JoinKind.Snapshot, SnapshotThenClose(), $"Last-Event-ID is {problem.Describe()}");
        }

        if (id > _lastId && !_closed && HoldHorizon is { } horizon && id <= horizon())
        {
            return new(JoinKind.Live, [], $"Last-Event-ID {id} is ahead of the newest id {_lastId} but within the skew: held until reached") { HeldUntil = id };
        }

        if (id > _lastId)
        {
            return _closed ? new(JoinKind.NoContent, [], "the board has closed") : new(JoinKind.Snapshot, [Snapshot()], $"Last-Event-ID {id} is beyond the newest id {_lastId}");
        }

        if (id == _lastId)
        {
            return _closed ? new(JoinKind.NoContent, [], "the board has closed") : new(JoinKind.Live, [], $"up to date at {id}");
        }

        return _history.TryGetAfter(id, _lastId, out var missed)
            ? new(JoinKind.Resume, missed, $"resumed after {id}")
            : new(JoinKind.Snapshot, SnapshotThenClose(), $"Last-Event-ID {id} is older than the history holds") { HistoryTooShort = true };
    }

    /// <summary>A bare stream (<c>"snapshot": false</c>): what would have started with a snapshot starts live.</summary>
    private static JoinPlan WithoutSnapshot(JoinPlan plan) => plan.Kind != JoinKind.Snapshot
        ? plan
        : plan with { Kind = JoinKind.Live, Frames = [.. plan.Frames.Where(f => f.Name != EventNames.Snapshot)] };

    /// <summary>A snapshot; after the close, the final one and then the close event, so nobody misses it.</summary>
    private EncodedEvent[] SnapshotThenClose() => _closed ? [_finalSnapshot!, _closeFrame!] : [Snapshot()];

    private EncodedEvent Snapshot() => _snapshot ??= EncodeSnapshot(_lastId);

    private EncodedEvent EncodeSnapshot(long id) =>
        new(id, EventNames.Snapshot, SseFormatter.FormatEvent(EventNames.Snapshot, BoardJson.Snapshot(_board.Rows), id, scenario.Wire.LineEnding));

    /// <summary>Numbers, remembers and offers <paramref name="frame"/>; the batch wakes the writers and cuts the clients with no room once the lock is let go.</summary>
    private FanoutBatch Fanout(EncodedEvent frame)
    {
        _lastId = frame.Id;
        _snapshot = null;
        _history.Add(frame);
        var batch = new FanoutBatch(_clients.Count);
        foreach (var client in _clients)
        {
            if (_held.Count > 0 && IsHeldBack(client, frame))
            {
                continue;
            }

            batch.Offer(client, frame);
        }

        return batch;
    }

    /// <summary>
    /// True when <paramref name="client"/> already has <paramref name="frame"/> from another replica.
    /// Should that be the close, the stream ends cleanly and its reconnect gets 204, as after any close.
    /// </summary>
    private bool IsHeldBack(IEventSubscriber client, EncodedEvent frame)
    {
        if (!_held.TryGetValue(client, out long heldUntil) || frame.Id > heldUntil)
        {
            return false;
        }

        if (frame.Id == heldUntil)
        {
            _held.Remove(client);
        }

        if (frame.EndsStream)
        {
            client.Finish(StreamEndReason.Closed);
        }

        return true;
    }
}
