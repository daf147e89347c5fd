using Serilog;
using SseFlights.Delivery;
using SseFlights.Scenario;

namespace SseFlights.Hub;

/// <summary>
/// The one truth every client shares: it applies each entry to the board, numbers it, remembers it
/// for resend (its <see cref="Ledger"/>) and offers it to every open stream, and nothing else. A
/// single lock makes "apply, number, remember, offer" and "join: snapshot or resend, then subscribe"
/// atomic with respect to each other, so a joining client can neither miss nor repeat an event.
/// Nothing under the lock waits or touches a socket: offers only queue, and the fan-out's wake-ups
/// and cuts go to the pool after it.
/// </summary>
internal sealed class EventHub(ScenarioDefinition scenario, int historySize, int maxClients, IHubObserver observer, ILogger log)
{
    private readonly Lock _gate = new();
    private readonly ILogger _log = log.ForContext<EventHub>();
    private readonly Ledger _ledger = new(scenario, historySize);

    private readonly Audience _clients = new();
    private HubStop _stop;

    // Why new streams are refused for now (a live replica catching up with its log), or null.
    private string? _unavailable;

    /// <summary>Events the resend history holds at most (a replica replays enough of the past to fill it).</summary>
    public int HistoryCapacity => historySize;

    /// <summary>
    /// With replicas: the newest id this replica will have reached within <c>--skew</c> of wall-clock
    /// time. A Last-Event-ID up to it is held until reached instead of answered with a snapshot. Null
    /// (one node) keeps ids beyond the newest a snapshot. Set once, before the server starts; it must
    /// not take a lock the clock holds while publishing (it is asked under this hub's lock).
    /// </summary>
    public Func<long>? HoldHorizon { get; set; }

    /// <summary>A copy of the open streams, for work done outside the lock (ticks, drops, shutdown).</summary>
    public IEventSubscriber[] Clients() => Read(() => _clients.ToArray());

    public int ClientCount => Read(() => _clients.Count);

    public BoardState Board() => Read(_ledger.State);

    /// <summary>Why the server can no longer serve (the scenario clock failed), or null while it can.</summary>
    public string? Failure => Read(() => _stop.Failure);

    public (long LastEventId, bool Closed) Progress() => Read(() => (_ledger.LastId, _ledger.Closed));

    /// <summary>Every event with an id above this is in the resend history; older ones a live source may still fetch from its log.</summary>
    public long HistoryFloor() => Read(() => _ledger.HistoryFloor);

    /// <summary>
    /// Before the clock runs, for a replica catching up to an epoch: the next id issued will be
    /// <paramref name="lastId"/> + 1. Only valid while nothing has been published and nobody has joined.
    /// </summary>
    public void Rewind(long lastId) => BeforeStart(nameof(Rewind), ledger => ledger.Rewind(lastId));

    /// <summary>
    /// Before anything is published, for a live replica starting from a stored board: the board is
    /// <paramref name="flights"/> as of event <paramref name="lastId"/>, and the next id is above it.
    /// </summary>
    public void Restore(IReadOnlyList<Flight> flights, long lastId) => BeforeStart(nameof(Restore), ledger => ledger.Restore(flights, lastId));

    /// <summary>While <paramref name="reason"/> is set, every new stream is refused with it (503 + Retry-After): a live replica still catching up with its log.</summary>
    public void Unavailable(string? reason)
    {
        lock (_gate)
        {
            _unavailable = reason;
        }
    }

    /// <summary>Applies a timeline event due at <paramref name="due"/> to the board, gives it the next id and offers it to every client; null once the board has closed.</summary>
    public Frame? Publish(TimelineEntry entry, long due = 0, bool replay = false) => PublishIf(entry, canApply: null, due, replay);

    /// <summary>
    /// An event checked against the board as it is at this moment and, if <paramref name="canApply"/>
    /// says it applies and the board is open, published in the same step. Null when refused.
    /// A live source gives the <paramref name="id"/> (its log's sequence, above every id so far); by
    /// default it is the next one.
    /// </summary>
    public Frame? PublishIf(TimelineEntry entry, Func<IReadOnlyCollection<string>, bool>? canApply, long due = 0, bool replay = false, long? id = null)
    {
        Frame frame;
        FanoutBatch batch;
        lock (_gate)
        {
            if (_ledger.Closed || canApply?.Invoke(_ledger.Codes()) == false)
            {
                return null;
            }

            frame = id is { } given ? _ledger.Record(entry, given, due) : _ledger.Record(entry, due);
            batch = Offer(frame, replay);
        }

        batch.Finish(_log, frame.Id);
        return frame;
    }

    /// <summary>A repeat cycle begins: the board goes back to the scenario's flights and everyone gets a snapshot event.</summary>
    public Frame StartCycle(long due = 0, bool replay = false) => Emit(ledger => ledger.StartCycle(due), replay);

    /// <summary>
    /// A live log's reset, as event <paramref name="id"/>: the board goes back to the scenario's flights
    /// (open again if it had closed) and everyone gets a snapshot event.
    /// </summary>
    public Frame Reset(long id, long due = 0, bool replay = false) => Emit(ledger => ledger.Reset(id, due), replay);

    /// <summary>Offers a live-only frame (a comment, retry or raw entry) to the streams open now, like a heartbeat: no id, no history, no board change.</summary>
    public Frame PublishLive(TimelineEntry entry, long due = 0) => Emit(ledger => ledger.LiveOnly(entry, due), replay: true);

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
    /// the same step, so the frames returned and the live events that follow meet exactly. Events older
    /// than the history that a live source fetched from its log (<paramref name="older"/>) resume a
    /// client too, if they reach the history as it is at this moment.
    /// </summary>
    public JoinPlan Join(IEventSubscriber client, string? lastEventId, OlderEvents? older = null)
    {
        lock (_gate)
        {
            var plan = JoinPolicy.Decide(lastEventId, Facts(), older is null ? _ledger : new ResendWithOlder(_ledger, older));
            if (plan.Subscribes)
            {
                _clients.Add(client, plan.HeldUntil);
            }

            observer.Joined(plan);
            return plan;
        }
    }

    /// <summary>The plan a <see cref="Join"/> with this id would get now, without joining (HEAD /events): it takes no slot.</summary>
    public JoinPlan Peek(string? lastEventId) => Read(() => JoinPolicy.Decide(lastEventId, Facts(), _ledger));

    public void Leave(IEventSubscriber client)
    {
        lock (_gate)
        {
            _clients.Remove(client);
        }
    }

    /// <summary>Under the lock: what a join decides on.</summary>
    private JoinFacts Facts() => new(
        _ledger.LastId, _ledger.Closed, _clients.Count, maxClients, _stop.Stopping, _stop.Failure, scenario.Snapshot, HoldHorizon?.Invoke())
    {
        Unavailable = _unavailable,
    };

    /// <summary>Makes a frame from the ledger and offers it, under the lock; the batch is finished after it, logged against the newest id.</summary>
    private Frame Emit(Func<Ledger, Frame> make, bool replay)
    {
        Frame frame;
        FanoutBatch batch;
        long lastId;
        lock (_gate)
        {
            frame = make(_ledger);
            lastId = _ledger.LastId;
            batch = Offer(frame, replay);
        }

        batch.Finish(_log, lastId);
        return frame;
    }

    /// <summary>A change only a hub that has published nothing and has nobody joined may take.</summary>
    private void BeforeStart(string change, Action<Ledger> apply)
    {
        lock (_gate)
        {
            if (!_ledger.IsEmpty || _clients.Count > 0)
            {
                throw new InvalidOperationException($"{change} is only for a hub that has not started.");
            }

            apply(_ledger);
        }
    }

    /// <summary>Under the lock: offers <paramref name="frame"/> to every stream; the batch is finished after the lock. A frame published for the first time counts.</summary>
    private FanoutBatch Offer(Frame frame, bool replay)
    {
        if (!replay && frame.HasId)
        {
            observer.Published();
        }

        return _clients.Offer(frame);
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

    private T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    /// <summary>Whether new streams are still welcome: a shutdown, or a failed clock with its reason.</summary>
    private readonly record struct HubStop(bool Stopping, string? Failure);
}
