using System.Globalization;
using SseFlights.Delivery;

namespace SseFlights.Hub;

/// <summary>How a new stream starts.</summary>
internal enum JoinKind
{
    /// <summary>No usable id: a snapshot of the board, then live events.</summary>
    Snapshot,

    /// <summary>Every missed event from the history, then live events.</summary>
    Resume,

    /// <summary>The client is up to date: live events only.</summary>
    Live,

    /// <summary>The board has closed and this client has nothing left to get: 204, so EventSource stops.</summary>
    NoContent,

    /// <summary>The server is at <c>--max-clients</c>: 503 with Retry-After.</summary>
    Refused,

    /// <summary>
    /// The server is shutting down: the connection is closed with no answer, because every status
    /// but 200 is final to EventSource, while a lost connection makes it (and nginx's
    /// proxy_next_upstream) try again, on another replica.
    /// </summary>
    ShuttingDown,
}

/// <summary>What is wrong with a <c>Last-Event-ID</c> that is not a usable id.</summary>
internal enum LastEventIdProblem
{
    /// <summary>The value is a usable id (or there is none).</summary>
    None,

    /// <summary>A minus sign before digits: shaped like an id, but none is negative.</summary>
    Negative,

    /// <summary>Not a number at all (after the close, such a client gets 204).</summary>
    NotANumber,
}

/// <summary>The decision for one new stream, with the frames to send before live events and why.</summary>
internal sealed record JoinPlan(JoinKind Kind, IReadOnlyList<Frame> Frames, string Reason)
{
    /// <summary>A snapshot given because the history no longer holds every event the client missed.</summary>
    public bool HistoryTooShort { get; init; }

    /// <summary>For a Last-Event-ID a little ahead of this replica: live events after this id only (see <see cref="ReplicaHold"/>).</summary>
    public long? HeldUntil { get; init; }

    /// <summary>True when the frames end with the close event, so the stream ends after them.</summary>
    public bool EndsStream => Frames.Count > 0 && Frames[^1].EndsStream;

    /// <summary>The answer is a stream (200): a snapshot, a resume or live events.</summary>
    public bool IsStream => Kind is JoinKind.Snapshot or JoinKind.Resume or JoinKind.Live;

    /// <summary>The stream takes a slot and live events: it is a stream and does not end with its opening frames.</summary>
    public bool Subscribes => IsStream && !EndsStream;

    /// <summary>
    /// Reads a <c>Last-Event-ID</c> value: a plain non-negative decimal number (no sign, no spaces;
    /// longer than 18 digits reads as beyond any id). Anything else is reported as a problem.
    /// </summary>
    public static bool TryParseLastEventId(string? raw, out long id, out LastEventIdProblem problem)
    {
        id = -1;
        problem = LastEventIdProblem.None;
        if (raw is null)
        {
            return false;
        }

        if (raw.Length == 0 || !raw.All(char.IsAsciiDigit))
        {
            problem = raw.Length > 1 && raw[0] == '-' && raw.Skip(1).All(char.IsAsciiDigit) ? LastEventIdProblem.Negative : LastEventIdProblem.NotANumber;
            return false;
        }

        // More digits than any id we could have issued: a number, but beyond the newest id.
        if (raw.Length > 18)
        {
            id = long.MaxValue;
            return true;
        }

        id = long.Parse(raw, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }
}

/// <summary>The human side of <see cref="LastEventIdProblem"/>: what the logs say.</summary>
internal static class LastEventIdProblems
{
    public static string Describe(this LastEventIdProblem problem) => problem switch
    {
        LastEventIdProblem.None => "usable",
        LastEventIdProblem.Negative => "negative",
        LastEventIdProblem.NotANumber => "not a number",
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, null),
    };
}
