using SseFlights.Delivery;
using SseFlights.Hub;

namespace SseFlights.Tests.Unit;

/// <summary>Frames for tests, shaped as the hub makes them.</summary>
internal static class TestFrames
{
    /// <summary>An event with id <paramref name="id"/>; with <paramref name="ends"/>, the close.</summary>
    public static Frame Event(long id, byte[] bytes, bool ends = false) =>
        Frame.WithId(ends ? FrameKind.Close : FrameKind.Event, id, ends ? "closedConnection" : "e", bytes);

    public static Frame Comment(byte[] bytes) => new(FrameKind.Comment, bytes);
}

/// <summary>An observer that observes nothing: for a hub or a stream under test whose counts do not matter.</summary>
internal sealed class NoObserver : IHubObserver, IDeliveryObserver
{
    public static NoObserver Instance { get; } = new();

    public void Published()
    {
    }

    public void Joined(JoinPlan plan)
    {
    }

    public void Written(int events, int bytes, long oldestDue, long now)
    {
    }

    public void StreamEnded(StreamEndReason reason)
    {
    }
}
