namespace SseFlights.Broadcast;

/// <summary>
/// One frame, encoded once to UTF-8; the same instance (and bytes) goes to every client.
/// <paramref name="Id"/> is 0 for frames that are not events (heartbeats).
/// </summary>
internal sealed record EncodedEvent(long Id, string Name, byte[] Bytes, bool EndsStream = false);
