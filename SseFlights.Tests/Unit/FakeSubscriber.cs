using System.Text;
using SseFlights.Delivery;

namespace SseFlights.Tests.Unit;

/// <summary>A subscriber that keeps what it is offered, with room for <see cref="Room"/> frames, and remembers how it was ended.</summary>
internal sealed class FakeSubscriber(long clientId, int room = int.MaxValue) : IEventSubscriber
{
    public long ClientId { get; } = clientId;

    public int Room { get; set; } = room;

    public List<Frame> Frames { get; } = [];

    public StreamEndReason? CutReason { get; private set; }

    public StreamEndReason? FinishReason { get; private set; }

    public IEnumerable<long> Ids => Frames.Select(f => f.Id);

    public string Text => string.Concat(Frames.Select(f => Encoding.UTF8.GetString(f.Bytes)));

    public Offered Offer(Frame frame)
    {
        if (Frames.Count >= Room)
        {
            return Offered.Full;
        }

        Frames.Add(frame);
        return Offered.Queued;
    }

    public void WakeHere()
    {
    }

    public void WakeOnPool()
    {
    }

    public void Cut(StreamEndReason reason) => CutReason ??= reason;

    public void Finish(StreamEndReason reason) => FinishReason ??= reason;

    public void OnTick(long nowTimestamp)
    {
    }
}
