namespace SseFlights.Nats;

/// <summary>
/// The stream as the server reports it. <paramref name="LastSequence"/> is 0 for a stream that has
/// never held a message; <paramref name="FirstSequence"/> is the oldest still kept (older ones were
/// discarded by the bound), and is <c>LastSequence + 1</c> when none is kept.
/// </summary>
internal sealed record LogStreamState(long FirstSequence, long LastSequence, long Messages, long MaxMessages);
