using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;

namespace KestrelPeer;

/// <summary>The board, the history of every event and the open streams, all behind one lock so a
/// joining client's snapshot or resend and the live events that follow never overlap or skip.</summary>
internal sealed class Hub(Timeline timeline, TimeSpan retry)
{
    private readonly TimeSpan _retry = retry;

    private readonly Lock _gate = new();
    // Index i holds event id i + 1; resend needs every one of them.
    private readonly List<SseItem<string>> _history = [];
    private readonly HashSet<Subscriber> _subscribers = [];
    private readonly JsonArray _flights = (JsonArray)timeline.Flights.DeepClone();
    private long _lastEventId;
    private bool _closed;

    public long LastEventId { get { lock (_gate) return _lastEventId; } }
    public int Clients { get { lock (_gate) return _subscribers.Count; } }
    public bool Closed { get { lock (_gate) return _closed; } }

    /// <summary>Registers a stream; null once the scenario has closed (the caller answers 204).</summary>
    public Subscriber? Subscribe(HttpContext context, long? resumeAfter)
    {
        var subscriber = new Subscriber(context);
        lock (_gate)
        {
            if (_closed) return null;
            if (resumeAfter is { } after)
            {
                for (int i = (int)Math.Min(after, _history.Count); i < _history.Count; i++)
                {
                    subscriber.TryWrite(i == after ? _history[i] with { ReconnectionInterval = _retry } : _history[i]);
                }
            }
            else
            {
                string snapshot = new JsonObject { ["flights"] = _flights.DeepClone() }.ToJsonString();
                subscriber.TryWrite(new SseItem<string>(snapshot, "snapshot")
                {
                    EventId = _lastEventId.ToString(CultureInfo.InvariantCulture),
                    ReconnectionInterval = _retry,
                });
            }
            _subscribers.Add(subscriber);
        }
        return subscriber;
    }

    public void Unsubscribe(Subscriber subscriber)
    {
        lock (_gate) _subscribers.Remove(subscriber);
    }

    public void Play(TimelineEntry entry)
    {
        lock (_gate)
        {
            if (entry.IsDrop)
            {
                // Cut every stream without a word; clients come back with Last-Event-ID.
                foreach (Subscriber s in _subscribers) s.Context.Abort();
                _subscribers.Clear();
                return;
            }
            _lastEventId++;
            ApplyToBoard(entry);
            var item = new SseItem<string>(entry.DataJson, entry.Event)
            {
                EventId = _lastEventId.ToString(CultureInfo.InvariantCulture),
            };
            _history.Add(item);
            foreach (Subscriber s in _subscribers) s.TryWrite(item);
            if (entry.Event == "closedConnection")
            {
                _closed = true;
                foreach (Subscriber s in _subscribers) s.Complete();
                _subscribers.Clear();
            }
        }
    }

    /// <summary>Ends every stream at shutdown.</summary>
    public void CompleteAll()
    {
        lock (_gate)
        {
            foreach (Subscriber s in _subscribers) s.Complete();
            _subscribers.Clear();
        }
    }

    private void ApplyToBoard(TimelineEntry entry)
    {
        string? flight = (string?)entry.Data?["flight"];
        switch (entry.Event)
        {
            case "flightStateUpdate":
                if (Find(flight) is JsonObject f) f["state"] = entry.Data?["state"]?.DeepClone();
                break;
            case "flightAddition":
                _flights.Add(entry.Data?.DeepClone());
                break;
            case "flightRemoval":
                if (Find(flight) is JsonObject r) _flights.Remove(r);
                break;
        }
    }

    private JsonObject? Find(string? flight) =>
        _flights.OfType<JsonObject>().FirstOrDefault(f => (string?)f["flight"] == flight);
}
