using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SseFlights.Scenario;

namespace SseFlights.Record;

/// <summary>
/// Turns recorded events into a scenario file the strict loader accepts: an SseFlights snapshot
/// becomes the flights, board events are checked against the board as it stands (one that would
/// not apply is left out, with a note), and every other name becomes a custom event.
/// </summary>
internal sealed class RecordingConverter(string name)
{
    private static readonly JsonWriterOptions Pretty = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly List<string> _notes = [];
    private readonly List<string> _customEvents = [];
    private readonly List<string> _onBoard = [];
    private readonly List<(double At, string Name, string? Json, string? Text)> _timeline = [];
    private string _flightsJson = "[]";

    /// <summary>What was left out or renamed, one line each, for stderr.</summary>
    public IReadOnlyList<string> Notes => _notes;

    public int Entries => _timeline.Count;

    /// <summary>The scenario as UTF-8 JSON; it has been loaded back with the strict loader before it is returned.</summary>
    public byte[] Convert(IReadOnlyList<RecordedEvent> events)
    {
        foreach (var recorded in events)
        {
            Add(recorded, first: ReferenceEquals(recorded, events[0]));
            if (recorded.EventType == EventNames.Close)
            {
                break;
            }
        }

        byte[] utf8 = Write();

        // Our own promise, kept in code: a file we write always passes `sseflights validate`.
        ScenarioLoader.Parse(utf8, "recording");
        return utf8;
    }

    private void Add(RecordedEvent recorded, bool first)
    {
        switch (recorded.EventType)
        {
            case EventNames.Snapshot:
                if (first && TryFlights(recorded.Data) is { } flights)
                {
                    _flightsJson = flights;
                }
                else
                {
                    _notes.Add($"left out the snapshot at {recorded.At:0.###} s: only a first snapshot of valid flights becomes the starting board");
                }

                break;
            case EventNames.Close:
                _timeline.Add((recorded.At, EventNames.Close, null, null));
                break;
            case EventNames.StateUpdate or EventNames.Addition or EventNames.Removal:
                AddBoardEvent(recorded);
                break;
            default:
                AddCustom(recorded);
                break;
        }
    }

    private void AddBoardEvent(RecordedEvent recorded)
    {
        if (!IsJson(recorded.Data))
        {
            _notes.Add($"left out {recorded.EventType} at {recorded.At:0.###} s: its data is not JSON");
            return;
        }

        // The three names are constants without quotes, so they go into the JSON as they are.
        string json = $"{{\"event\":\"{recorded.EventType}\",\"data\":{recorded.Data}}}";
        try
        {
            var (entry, errors) = SingleEntryReader.Read(Encoding.UTF8.GetBytes(json), "event", [], timed: false);
            if (SingleEntryReader.BoardProblem(entry, errors, _onBoard) is { } problem)
            {
                throw new ScenarioException([problem]);
            }

            if (entry.Kind == EntryKind.Addition)
            {
                _onBoard.Add(entry.Change!.Code);
            }
            else if (entry.Kind == EntryKind.Removal)
            {
                _onBoard.Remove(entry.Change!.Code);
            }

            _timeline.Add((recorded.At, recorded.EventType, recorded.Data, null));
        }
        catch (ScenarioException ex)
        {
            _notes.Add($"left out {recorded.EventType} at {recorded.At:0.###} s: {ex.Errors[0]}");
        }
    }

    private void AddCustom(RecordedEvent recorded)
    {
        string eventName = RecordedNames.ForScenario(recorded.EventType);
        if (eventName != recorded.EventType && !_customEvents.Contains(eventName))
        {
            _notes.Add($"events of type '{recorded.EventType}' are recorded as '{eventName}'");
        }

        if (!_customEvents.Contains(eventName))
        {
            _customEvents.Add(eventName);
        }

        // JSON is kept as JSON only when replaying it sends the very same text (the player sends it
        // compact); anything else, a JSON string included, stays a string, which goes out as written.
        bool keepJson = IsJson(recorded.Data) && recorded.Data.TrimStart()[0] != '"';
        _timeline.Add((recorded.At, eventName, keepJson ? recorded.Data : null, keepJson ? null : recorded.Data));
    }

    private string? TryFlights(string data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || document.RootElement.EnumerateObject().Count() != 1
                || !document.RootElement.TryGetProperty("flights", out var flights))
            {
                return null;
            }

            // The loader is the judge of what a valid flight list is.
            string raw = flights.GetRawText();
            var scenario = ScenarioLoader.Parse(Encoding.UTF8.GetBytes($"{{\"name\":\"x\",\"flights\":{raw},\"timeline\":[]}}"), "snapshot");
            _onBoard.AddRange(scenario.Flights.Select(f => f.Code));
            return raw;
        }
        catch (Exception ex) when (ex is JsonException or ScenarioException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="data"/> is JSON whose compact form is the text itself.</summary>
    private static bool IsJson(string data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            return JsonChecks.Compact(document.RootElement) == data;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private byte[] Write()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Pretty))
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteBoolean("repeat", false);
            writer.WriteStartArray("customEvents");
            _customEvents.ForEach(writer.WriteStringValue);
            writer.WriteEndArray();
            writer.WritePropertyName("flights");
            using (var flights = JsonDocument.Parse(_flightsJson))
            {
                flights.RootElement.WriteTo(writer);
            }

            writer.WriteStartArray("timeline");
            foreach (var (at, eventName, json, text) in _timeline)
            {
                writer.WriteStartObject();
                writer.WriteNumber("at", at);
                writer.WriteString("event", eventName);
                if (json is not null)
                {
                    writer.WritePropertyName("data");
                    writer.WriteRawValue(json);
                }
                else if (text is not null)
                {
                    writer.WriteString("data", text);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
