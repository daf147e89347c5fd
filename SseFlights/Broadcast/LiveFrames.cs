using System.Globalization;
using System.Text;
using SseFlights.Scenario;
using SseFlights.Sse;

namespace SseFlights.Broadcast;

/// <summary>Encodes a scenario's live-only entries (comment, retry, raw) once, for every open stream.</summary>
internal static class LiveFrames
{
    public static EncodedEvent Encode(TimelineEntry entry, LineEnding ending)
    {
        var (kind, bytes) = entry.Kind switch
        {
            EntryKind.Comment => (FrameKind.Comment, SseFormatter.FormatComment(entry.Data, ending)),
            EntryKind.Retry => (FrameKind.Retry, SseFormatter.FormatRetry(int.Parse(entry.Data, NumberStyles.None, CultureInfo.InvariantCulture), ending)),

            // Untouched: a raw entry exists to send what no formatter would (bare CR, a lone id line, half an event).
            EntryKind.Raw => (FrameKind.Raw, Encoding.UTF8.GetBytes(entry.Data)),
            _ => throw new ArgumentOutOfRangeException(nameof(entry), entry.Kind, "not a live-only entry"),
        };
        return new EncodedEvent(0, "", bytes) { Kind = kind, Split = entry.Split };
    }
}
