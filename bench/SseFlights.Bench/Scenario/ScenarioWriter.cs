using System.Text.Json;

namespace SseFlights.Bench.Scenario;

/// <summary>Writes the bench scenarios: a board of flights and a timeline of flightStateUpdate
/// events on a fixed grid, cycling states over the board, with optional <c>drop</c>s. Only the
/// properties the sseflights loader accepts are written (it rejects unknown ones).</summary>
internal static class ScenarioWriter
{
    private static readonly string[] Origins =
        ["Oslo", "Lisbon", "Rome", "Vienna", "Dublin", "Prague", "Madrid", "Athens", "Warsaw", "Helsinki"];

    private static readonly string[] States = ["on time", "delayed", "landing", "landed"];

    /// <param name="path">File to write.</param>
    /// <param name="name">Scenario name.</param>
    /// <param name="flights">Board size; events cycle over it.</param>
    /// <param name="firstAt">Scenario seconds of the first event.</param>
    /// <param name="spacing">Scenario seconds between events.</param>
    /// <param name="count">Number of events.</param>
    /// <param name="drops">Scenario seconds of each <c>drop</c>, ascending (empty for none).</param>
    /// <param name="indented">Indent for reading; the large throughput file is written compact.</param>
    /// <param name="statePadding">Characters appended to each state, to make events this much bigger.</param>
    /// <param name="close">End with closedConnection one spacing after the last event.</param>
    public static void Write(
        string path, string name, int flights, double firstAt, double spacing, int count, IReadOnlyList<double> drops, bool indented = true, int statePadding = 0,
        bool close = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using FileStream file = File.Create(path);
        using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = indented });
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteBoolean("repeat", false);
        json.WriteStartArray("flights");
        for (int f = 0; f < flights; f++)
        {
            json.WriteStartObject();
            json.WriteString("flight", FlightCode(f));
            json.WriteString("origin", Origins[f % Origins.Length]);
            json.WriteString("arrival", $"{8 + f * 5 / 60:00}:{f * 5 % 60:00}");
            json.WriteString("state", "");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("timeline");
        string padding = statePadding > 0 ? " " + new string('.', statePadding - 1) : "";
        int nextDrop = 0;
        for (int i = 0; i < count; i++)
        {
            // Rounded so the file says 1.2, not 1.2000000000000002.
            double at = Math.Round(firstAt + i * spacing, 6);
            while (nextDrop < drops.Count && drops[nextDrop] <= at) WriteDrop(json, drops[nextDrop++]);
            json.WriteStartObject();
            json.WriteNumber("at", at);
            json.WriteString("event", "flightStateUpdate");
            json.WriteStartObject("data");
            json.WriteString("flight", FlightCode(i % flights));
            json.WriteString("state", States[i / flights % States.Length] + padding);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        while (nextDrop < drops.Count) WriteDrop(json, drops[nextDrop++]);
        if (close)
        {
            json.WriteStartObject();
            json.WriteNumber("at", Math.Round(firstAt + count * spacing, 6));
            json.WriteString("event", "closedConnection");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteDrop(Utf8JsonWriter json, double at)
    {
        json.WriteStartObject();
        json.WriteNumber("at", Math.Round(at, 6));
        json.WriteString("action", "drop");
        json.WriteEndObject();
    }

    private static string FlightCode(int index) => $"B{index + 1:000}";
}
