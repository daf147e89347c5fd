using SseFlights.Scenario;

namespace SseFlights.Hub;

/// <summary>The board as of one moment: its rows, the id of the last event applied, and whether it has closed.</summary>
internal sealed record BoardState(long LastEventId, bool Closed, IReadOnlyList<Flight> Flights);
