using System.Globalization;
using System.Text.Json;

namespace SseFlights.Scenario;

/// <summary>Reads the live-only wire entries: <c>comment</c>, <c>retry</c> and <c>raw</c>.</summary>
internal sealed class WireEntryReader(JsonChecks checks)
{
    public TimelineEntry? Read(JsonElement item, string path, int index, string kind)
    {
        if (item.TryGetProperty("data", out _))
        {
            checks.Errors.Add(JsonPositionIndex.Join(path, "data"), $"a {kind} entry carries no data; its text is the \"{kind}\" value");
        }

        switch (kind)
        {
            case "comment":
                // Any text: each of its lines becomes a ':' line, so nothing in it can break the frame.
                string? comment = checks.String(item, path, "comment", required: true, allowEmpty: true);
                return comment is null ? null : new TimelineEntry(index, 0, EntryKind.Comment, "", comment, null);
            case "retry":
                int? retry = checks.WholeNumber(item, path, "retry", 0, int.MaxValue, $"a whole number of milliseconds from 0 to {int.MaxValue}");
                return retry is null ? null : new TimelineEntry(index, 0, EntryKind.Retry, "", retry.Value.ToString(CultureInfo.InvariantCulture), null);
            case "raw":
                string? raw = checks.String(item, path, "raw", required: true, allowEmpty: true);
                if (raw?.Length == 0)
                {
                    checks.Errors.Add(JsonPositionIndex.Join(path, "raw"), "expected the characters to send, got an empty string");
                    return null;
                }

                return raw is null ? null : new TimelineEntry(index, 0, EntryKind.Raw, "", raw, null);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}
