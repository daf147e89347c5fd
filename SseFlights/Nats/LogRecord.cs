namespace SseFlights.Nats;

/// <summary>One message of the log: its stream sequence (the event's SSE id) and its body as published.</summary>
internal sealed record LogRecord(long Sequence, byte[] Payload);
