using System.Text.Json;

namespace SseFlights.Bench.Scenario;

/// <summary>What the load generator needs from a scenario file: when each event id is due
/// (ids count timeline events 1, 2, 3... in order; a <c>drop</c> gets none) and where the drops are.</summary>
internal sealed record Schedule(string Name, IReadOnlyList<double> EventAt, IReadOnlyList<Drop> Drops, long? CloseId = null)
{
    /// <summary>Seconds of scenario time at which event <paramref name="id"/> (1-based) is due.</summary>
    public double AtOf(long id) => EventAt[(int)id - 1];

    public int EventCount => EventAt.Count;

    public static Schedule Load(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement root = document.RootElement;
        string name = root.TryGetProperty("name", out JsonElement n) ? n.GetString() ?? "" : "";
        var eventAt = new List<double>();
        var drops = new List<Drop>();
        long? closeId = null;
        foreach (JsonElement entry in root.GetProperty("timeline").EnumerateArray())
        {
            double at = entry.GetProperty("at").GetDouble();
            if (entry.TryGetProperty("action", out JsonElement action) && action.GetString() == "drop")
            {
                drops.Add(new Drop(at, eventAt.Count));
            }
            else
            {
                eventAt.Add(at);
                if (entry.TryGetProperty("event", out JsonElement type) && type.GetString() == "closedConnection") closeId = eventAt.Count;
            }
        }
        return new Schedule(name, eventAt, drops, closeId);
    }
}

/// <summary>A <c>drop</c> at scenario time <paramref name="At"/>, after event id <paramref name="LastIdBefore"/>.</summary>
internal sealed record Drop(double At, long LastIdBefore);
