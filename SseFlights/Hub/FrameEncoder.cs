using System.Globalization;
using System.Text;
using SseFlights.Board;
using SseFlights.Delivery;
using SseFlights.Scenario;
using SseFlights.Sse;

namespace SseFlights.Hub;

/// <summary>Encodes what the hub sends, once for every stream, in the scenario's line ending.</summary>
internal sealed class FrameEncoder(LineEnding ending)
{
    /// <summary>A timeline entry that is an event (the close included), as event <paramref name="id"/>.</summary>
    public Frame Event(TimelineEntry entry, long id, long due) =>
        Frame.WithId(entry.Kind == EntryKind.Close ? FrameKind.Close : FrameKind.Event, id, entry.EventName, SseFormatter.FormatEvent(entry.EventName, entry.Data, id, ending))
            with { Due = due, Split = entry.Split };

    /// <summary>The whole board as event <paramref name="id"/>.</summary>
    public Frame Snapshot(IReadOnlyList<Flight> board, long id, long due = 0) =>
        Frame.WithId(FrameKind.Snapshot, id, EventNames.Snapshot, SseFormatter.FormatEvent(EventNames.Snapshot, BoardJson.Snapshot(board), id, ending)) with { Due = due };

    /// <summary>A live-only entry (comment, retry, raw): no id, for the streams open now.</summary>
    public Frame LiveOnly(TimelineEntry entry, long due)
    {
        var (kind, bytes) = entry.Kind switch
        {
            EntryKind.Comment => (FrameKind.Comment, SseFormatter.FormatComment(entry.Data, ending)),
            EntryKind.Retry => (FrameKind.Retry, SseFormatter.FormatRetry(int.Parse(entry.Data, NumberStyles.None, CultureInfo.InvariantCulture), ending)),

            // Untouched: a raw entry exists to send what no formatter would (bare CR, a lone id line, half an event).
            EntryKind.Raw => (FrameKind.Raw, Encoding.UTF8.GetBytes(entry.Data)),
            _ => throw new ArgumentOutOfRangeException(nameof(entry), entry.Kind, "not a live-only entry"),
        };
        return new Frame(kind, bytes) { Due = due, Split = entry.Split };
    }

    /// <summary>The heartbeat comment every idle stream gets.</summary>
    public Frame Heartbeat() => new(FrameKind.Comment, SseFormatter.FormatComment("heartbeat", ending));
}
