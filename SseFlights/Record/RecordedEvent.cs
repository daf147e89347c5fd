namespace SseFlights.Record;

/// <summary>One SSE event as it arrived: seconds since the stream opened, its type, and its data.</summary>
internal sealed record RecordedEvent(double At, string EventType, string Data);

/// <summary>Why a recording stopped.</summary>
internal enum RecordingEnd
{
    /// <summary>The server ended the stream.</summary>
    StreamEnded,

    /// <summary>The connection broke mid-stream.</summary>
    StreamBroke,

    /// <summary><c>--duration</c> ran out.</summary>
    Duration,

    /// <summary><c>--events</c> were recorded.</summary>
    EventCount,

    /// <summary>Ctrl+C or SIGTERM.</summary>
    Interrupted,

    /// <summary>The source sent closedConnection, which ends a timeline.</summary>
    Closed,
}

/// <summary>A connection that did not give an event stream: one line for stderr.</summary>
internal sealed class RecordException(string message) : Exception(message);
