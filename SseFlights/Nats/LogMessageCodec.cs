using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using SseFlights.Scenario;

namespace SseFlights.Nats;

/// <summary>
/// The log's message format: each message is one timeline entry as the control API takes it (a scenario
/// entry without <c>at</c>), or <c>{"action": "reset"}</c>; see MESSAGES.md beside this file. Reading
/// checks a message with the scenario loader's own readers, so its rules and messages are a scenario
/// file's, each located as <c>sequence N:line:column: path: what is wrong</c>. Writing turns a validated
/// entry into the body that reads back as the same entry.
/// </summary>
internal sealed class LogMessageCodec(IReadOnlyList<string> customEvents)
{
    private const string Example = """{"event": "flightStateUpdate", "data": {...}}""";

    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>How an error names the message it is about, where a scenario error names its file.</summary>
    public static string Source(long sequence) => $"sequence {sequence.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The message's meaning; never throws for what a message holds.</summary>
    public LogMessage Decode(long sequence, ReadOnlyMemory<byte> body)
    {
        string source = Source(sequence);
        byte[] utf8 = body.ToArray();
        if (utf8.Length == 0 || !Utf8.IsValid(utf8))
        {
            string what = utf8.Length == 0 ? "empty" : "not UTF-8 text";
            return new LogRefusal(sequence, [$"{source}: {what}; a message is a JSON timeline entry such as {Example}"]);
        }

        JsonPositionIndex positions;
        try
        {
            positions = JsonPositionIndex.Build(utf8);
            using var document = JsonDocument.Parse(utf8);
            if (Action(document.RootElement) is { } action && action != "drop")
            {
                return ReadAction(sequence, document.RootElement, action, positions);
            }
        }
        catch (JsonException ex)
        {
            long line = (ex.LineNumber ?? 0) + 1;
            long column = (ex.BytePositionInLine ?? 0) + 1;
            return new LogRefusal(sequence, [$"{source}:{line}:{column}: malformed JSON: {ReaderMessage(ex.Message)}"]);
        }

        try
        {
            var (entry, _) = SingleEntryReader.Read(utf8, source, customEvents, timed: false);
            return new LogEntry(sequence, entry, utf8);
        }
        catch (ScenarioException ex)
        {
            return new LogRefusal(sequence, ex.Errors);
        }
    }

    /// <summary><c>{"action":"reset"}</c>.</summary>
    public static byte[] EncodeReset() => """{"action":"reset"}"""u8.ToArray();

    /// <summary>The body that <see cref="Decode"/> reads back as <paramref name="entry"/> (its time aside: a message has none).</summary>
    public static byte[] Encode(TimelineEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            writer.WriteStartObject();
            switch (entry.Kind)
            {
                case EntryKind.Drop:
                    writer.WriteString("action", "drop");
                    break;
                case EntryKind.Comment:
                    writer.WriteString("comment", entry.Data);
                    break;
                case EntryKind.Retry:
                    writer.WriteNumber("retry", int.Parse(entry.Data, NumberStyles.None, CultureInfo.InvariantCulture));
                    break;
                case EntryKind.Raw:
                    writer.WriteString("raw", entry.Data);
                    break;
                case EntryKind.Close:
                    writer.WriteString("event", entry.EventName);
                    break;
                case EntryKind.Custom:
                    writer.WriteString("event", entry.EventName);
                    WriteCustomData(writer, entry.Data);
                    break;
                default:
                    // A board event's data is already compact JSON.
                    writer.WriteString("event", entry.EventName);
                    writer.WritePropertyName("data");
                    writer.WriteRawValue(entry.Data);
                    break;
            }

            if (entry.Split is { } split)
            {
                writer.WriteStartObject("split");
                writer.WriteNumber("bytes", split.Bytes);
                writer.WriteNumber("delayMs", split.DelayMs);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A custom event's data goes out as its text; JSON that reads back as exactly that text (compact,
    /// not a string) is written as JSON, so the message looks like the scenario entry; anything else as a string.
    /// </summary>
    private static void WriteCustomData(Utf8JsonWriter writer, string data)
    {
        if (data.Length == 0)
        {
            return;
        }

        writer.WritePropertyName("data");
        try
        {
            using var document = JsonDocument.Parse(data);
            if (document.RootElement.ValueKind != JsonValueKind.String && JsonChecks.Compact(document.RootElement) == data)
            {
                writer.WriteRawValue(data);
                return;
            }
        }
        catch (JsonException)
        {
            // Text, not JSON: written as a string below.
        }

        writer.WriteStringValue(data);
    }

    private static string? Action(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.String
            ? action.GetString()
            : null;

    /// <summary>Reset, the one action only the log has (a drop is read like a scenario's), or an unknown action.</summary>
    private static LogMessage ReadAction(long sequence, JsonElement root, string action, JsonPositionIndex positions)
    {
        var errors = new ScenarioErrors(Source(sequence), positions);
        foreach (string duplicate in positions.Duplicates)
        {
            errors.Add(duplicate, $"property '{duplicate[(duplicate.LastIndexOf('.') + 1)..]}' appears twice; keep one");
        }

        if (action == "reset")
        {
            new JsonChecks(errors).OnlyMembers(root, "", "action");
        }
        else
        {
            errors.Add("action", $"unknown action '{action}'; the actions are \"drop\" and \"reset\"");
        }

        return errors.Any ? new LogRefusal(sequence, errors.Messages) : new LogReset(sequence);
    }

    /// <summary>The reader's own sentence, without the position it appends (ours comes first).</summary>
    private static string ReaderMessage(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}
