using Serilog;
using SseFlights.Board;
using SseFlights.Delivery;
using SseFlights.Scenario;

namespace SseFlights.Hub;

/// <summary>
/// The one truth every client shares: it applies each entry to the board, numbers it, remembers it
/// for resend and offers it to every open stream, and nothing else. A single lock makes "apply,
/// number, remember, offer" and "join: snapshot or resend, then subscribe" atomic with respect to each
/// other, so a joining client can neither miss nor repeat an event. Nothing under the lock waits or
/// touches a socket: offers only queue, and the fan-out's wake-ups and cuts go to the pool after it.
/// </summary>
internal sealed class EventHub : IJoinFrames
{
    private readonly Lock _gate = new();
    private readonly ScenarioDefinition _scenario;
    private readonly int _maxClients;
    private readonly FrameEncoder _encoder;
    private readonly IHubObserver _observer;
    private readonly ILogger _log;
    private readonly FlightBoard _board;
    private readonly EventHistory _history;

    // Mutated and iterated only under the lock: joining is O(1) even with ten thousand streams open.
    private readonly HashSet<IEventSubscriber> _clients = [];
    private readonly ReplicaHold _hold = new();
    private long _lastId;

    // The close, and the board as of the event before it, which a late client gets with that id, then the close.
    private Frame[]? _finalSnapshotThenClose;
    private HubStop _stop;

    // The snapshot for the current _lastId, encoded once however many clients join (a reconnect storm).
    private Frame? _snapshot;

    public EventHub(ScenarioDefinition scenario, int historySize, int maxClients, IHubObserver observer, ILogger log)
    {
        (_scenario, _maxClients, _observer, _log) = (scenario, maxClients, observer, log.ForContext<EventHub>());
        _encoder = new FrameEncoder(scenario.Wire.LineEnding);
        _board = new FlightBoard(scenario.Flights);
        _history = new EventHistory(historySize);
        HistoryCapacity = historySize;
    }

    /// <summary>Events the resend history holds at most (a replica replays enough of the past to fill it).</summary>
    public int HistoryCapacity { get; }

    /// <summary>
    /// With replicas: the newest id this replica will have reached within <c>--skew</c> of wall-clock
    /// time. A Last-Event-ID up to it is held until reached instead of answered with a snapshot. Null
    /// (one node) keeps ids beyond the newest a snapshot. Set once, before the server starts.
    /// </summary>
    public Func<long>? HoldHorizon { get; set; }

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
            return new BoardState(_lastId, _finalSnapshotThenClose is not null, _board.Copy());
        }
    }

    /// <summary>Why the server can no longer serve (the scenario clock failed), or null while it can.</summary>
    public string? Failure
    {
        get
        {
            lock (_gate)
            {
                return _stop.Failure;
            }
        }
    }

    public (long LastEventId, bool Closed) Progress()
    {
        lock (_gate)
        {
            return (_lastId, _finalSnapshotThenClose is not null);
        }
    }

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

    /// <summary>Applies a timeline event due at <paramref name="due"/> to the board, gives it the next id, and offers it to every client.</summary>
    public Frame Publish(TimelineEntry entry, long due = 0, bool replay = false) => PublishIf(entry, canApply: null, due, replay)!;

    /// <summary>
    /// An event checked against the board as it is at this moment and, if <paramref name="canApply"/>
    /// says it applies and the board is open, published in the same step. Null when refused.
    /// </summary>
    public Frame? PublishIf(TimelineEntry entry, Func<IReadOnlyCollection<string>, bool>? canApply, long due = 0, bool replay = false)
    {
        Frame frame;
        FanoutBatch batch;
        lock (_gate)
        {
            if (_finalSnapshotThenClose is not null || canApply?.Invoke([.. _board.Rows.Select(f => f.Code)]) == false)
            {
                return null;
            }

            if (entry.Change is { } change)
            {
                _board.Apply(entry.Kind, change);
            }

            frame = _encoder.Event(entry, _lastId + 1, due);
            if (frame.EndsStream)
            {
                // The close does not change the board, so the board as of the event before it is also the final board.
                _finalSnapshotThenClose = [_encoder.Snapshot(_board.Rows, _lastId), frame];
            }

            batch = Number(frame, replay);
        }

        batch.Finish(_log, frame.Id);
        return frame;
    }

    /// <summary>A repeat cycle begins: the board goes back to the scenario's flights and everyone gets a snapshot event.</summary>
    public Frame StartCycle(long due = 0, bool replay = false)
    {
        Frame frame;
        FanoutBatch batch;
        lock (_gate)
        {
            _board.Reset(_scenario.Flights);
            frame = _encoder.Snapshot(_board.Rows, _lastId + 1, due);
            batch = Number(frame, replay);
        }

        batch.Finish(_log, frame.Id);
        return frame;
    }

    /// <summary>Offers a live-only frame (a comment, retry or raw entry) to the streams open now, like a heartbeat: no id, no history, no board change.</summary>
    public Frame PublishLive(TimelineEntry entry, long due = 0)
    {
        var frame = _encoder.LiveOnly(entry, due);
        FanoutBatch batch;
        long lastId;
        lock (_gate)
        {
            lastId = _lastId;
            batch = Offer(frame);
        }

        batch.Finish(_log, lastId);
        return frame;
    }

    /// <summary>
    /// The scenario's drop action: every open stream ends without another event. The chunked body is
    /// closed properly, so clients reconnect as after any lost stream, and browsers log no error for it.
    /// </summary>
    public int DropAll() => EndAll(StreamEndReason.Drop);

    /// <summary>Server shutdown: new streams are closed unanswered (the server's lifetime token ends the open ones).</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stop = _stop with { Stopping = true };
        }
    }

    /// <summary>
    /// The scenario clock has failed: no further event will come, so new streams are refused and open
    /// ones end cleanly (their clients reconnect, to a restarted server, with Last-Event-ID).
    /// </summary>
    public void Fail(string reason)
    {
        lock (_gate)
        {
            _stop = new HubStop(true, _stop.Failure ?? reason);
        }

        EndAll(StreamEndReason.Failure);
    }

    /// <summary>
    /// Decides how a new stream starts and, unless it is refused or has nothing to get, subscribes it in
    /// the same step, so the frames returned and the live events that follow meet exactly.
    /// </summary>
    public JoinPlan Join(IEventSubscriber client, string? lastEventId)
    {
        lock (_gate)
        {
            var plan = JoinPolicy.Decide(lastEventId, Facts(), this);
            if (plan.Subscribes)
            {
                _clients.Add(client);
                if (plan.HeldUntil is { } held)
                {
                    _hold.Hold(client, held);
                }
            }

            _observer.Joined(plan);
            return plan;
        }
    }

    /// <summary>The plan a <see cref="Join"/> with this id would get now, without joining (HEAD /events): it takes no slot.</summary>
    public JoinPlan Peek(string? lastEventId)
    {
        lock (_gate)
        {
            return JoinPolicy.Decide(lastEventId, Facts(), this);
        }
    }

    public void Leave(IEventSubscriber client)
    {
        lock (_gate)
        {
            _clients.Remove(client);
            _hold.Release(client);
        }
    }

    bool IJoinFrames.TryResendAfter(long id, out Frame[] missed) => _history.TryGetAfter(id, _lastId, out missed);

    Frame IJoinFrames.Snapshot() => _snapshot ??= _encoder.Snapshot(_board.Rows, _lastId);

    Frame[] IJoinFrames.FinalSnapshotThenClose() => _finalSnapshotThenClose!;

    /// <summary>Under the lock: what a join decides on.</summary>
    private JoinFacts Facts() => new(
        _lastId, _finalSnapshotThenClose is not null, _clients.Count, _maxClients, _stop.Stopping, _stop.Failure, _scenario.Snapshot, HoldHorizon?.Invoke());

    /// <summary>Under the lock: numbers, remembers and offers <paramref name="frame"/>; the batch is finished after the lock.</summary>
    private FanoutBatch Number(Frame frame, bool replay)
    {
        _lastId = frame.Id;
        _snapshot = null;
        _history.Add(frame);
        if (!replay)
        {
            _observer.Published();
        }

        return Offer(frame);
    }

    private FanoutBatch Offer(Frame frame)
    {
        var batch = new FanoutBatch(_clients.Count);
        foreach (var client in _clients)
        {
            if (!frame.HasId || !_hold.Skips(client, frame))
            {
                batch.Offer(client, frame);
            }
        }

        return batch;
    }

    private int EndAll(StreamEndReason reason)
    {
        var clients = Clients();
        foreach (var client in clients)
        {
            client.Finish(reason);
        }

        return clients.Length;
    }

    /// <summary>Whether new streams are still welcome: a shutdown, or a failed clock with its reason.</summary>
    private readonly record struct HubStop(bool Stopping, string? Failure);
}
