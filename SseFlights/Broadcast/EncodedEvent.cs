namespace SseFlights.Broadcast;

/// <summary>
/// One frame, encoded once to UTF-8; the same instance (and bytes) goes to every client.
/// <paramref name="Id"/> is 0 for frames that are not events (heartbeats). <paramref name="Due"/> is the
/// TimeProvider timestamp the scenario scheduled it for (latency is measured from it), or 0 for a
/// frame not on the timeline (a joining client's snapshot, a heartbeat).
/// </summary>
internal sealed record EncodedEvent(long Id, string Name, byte[] Bytes, bool EndsStream = false, long Due = 0);
