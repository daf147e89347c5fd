using SseFlights.Scenario;

namespace SseFlights.Broadcast;

/// <summary>The board as of one moment: its rows, the id of the last event applied, and whether it has closed.</summary>
internal sealed record BoardState(long LastEventId, bool Closed, IReadOnlyList<Flight> Flights);
