using System.Text.Json;
using System.Text.Json.Nodes;

namespace KestrelPeer;

/// <summary>One timeline entry: an event with its compact JSON data, or the <c>drop</c> action.</summary>
internal sealed record TimelineEntry(double At, string? Event, bool IsDrop, JsonNode? Data, string DataJson);

/// <summary>The scenario file, read leniently: the peer trusts the files the bench generates.</summary>
internal sealed record Timeline(JsonArray Flights, IReadOnlyList<TimelineEntry> Entries)
{
    public static Timeline Load(string path)
    {
        JsonNode root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException("empty scenario");
        JsonArray flights = root["flights"]?.AsArray() ?? [];
        var entries = new List<TimelineEntry>();
        foreach (JsonNode? node in root["timeline"]?.AsArray() ?? [])
        {
            if (node is null) continue;
            double at = node["at"]!.GetValue<double>();
            bool isDrop = (string?)node["action"] == "drop";
            string? name = (string?)node["event"];
            JsonNode? data = node["data"]?.DeepClone();
            // closedConnection carries an empty data line; everything else its data as compact JSON.
            string json = name == "closedConnection" ? "" : data?.ToJsonString() ?? "{}";
            entries.Add(new TimelineEntry(at, name, isDrop, data, json));
        }
        return new Timeline((JsonArray)flights.DeepClone(), entries);
    }
}
