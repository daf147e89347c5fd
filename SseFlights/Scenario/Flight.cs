using System.Text.Json.Serialization;

namespace SseFlights.Scenario;

/// <summary>One row of the arrivals board.</summary>
internal sealed record Flight(
    [property: JsonPropertyName("flight")] string Code,
    [property: JsonPropertyName("origin")] string Origin,
    [property: JsonPropertyName("arrival")] string Arrival,
    [property: JsonPropertyName("state")] string State);
