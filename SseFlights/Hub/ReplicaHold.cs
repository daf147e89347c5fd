using SseFlights.Delivery;

namespace SseFlights.Hub;

/// <summary>
/// Clients that resumed from an id a little ahead of this replica (another replica's clock runs ahead):
/// each gets nothing up to and including its id, then goes on live. Not thread-safe; the hub's lock guards it.
/// </summary>
internal sealed class ReplicaHold
{
    private readonly Dictionary<IEventSubscriber, long> _held = [];

    public void Hold(IEventSubscriber client, long untilId) => _held[client] = untilId;

    public void Release(IEventSubscriber client) => _held.Remove(client);

    /// <summary>
    /// True when <paramref name="client"/> already has <paramref name="frame"/> from another replica, so
    /// it is not offered. Should that be the close, the stream ends cleanly and its reconnect gets 204,
    /// as after any close.
    /// </summary>
    public bool Skips(IEventSubscriber client, Frame frame)
    {
        if (_held.Count == 0 || !_held.TryGetValue(client, out long heldUntil) || frame.Id > heldUntil)
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
