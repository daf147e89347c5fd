using SseFlights.Scenario;

namespace SseFlights.Board;

/// <summary>
/// The live board: the scenario's flights in board order (new flights join at the end).
/// Not thread-safe; its owner serialises access.
/// </summary>
internal sealed class FlightBoard
{
    private readonly List<Flight> _rows = [];

    public FlightBoard(IEnumerable<Flight> flights) => Reset(flights);

    public IReadOnlyList<Flight> Rows => _rows;

    public void Reset(IEnumerable<Flight> flights)
    {
        _rows.Clear();
        _rows.AddRange(flights);
    }

    /// <summary>Applies a validated board event; the validator has already proven the flight is (or is not) there.</summary>
    public void Apply(EntryKind kind, FlightChange change)
    {
        int row = _rows.FindIndex(f => f.Code == change.Code);
        switch (kind)
        {
            case EntryKind.Addition:
                _rows.Add(new Flight(change.Code, change.Origin!, change.Arrival!, change.State!));
                break;
            case EntryKind.Removal when row >= 0:
                _rows.RemoveAt(row);
                break;
            case EntryKind.StateUpdate when row >= 0:
                var old = _rows[row];
                _rows[row] = old with
                {
                    Origin = change.Origin ?? old.Origin,
                    Arrival = change.Arrival ?? old.Arrival,
                    State = change.State ?? old.State,
                };
                break;
        }
    }

    /// <summary>An immutable copy for serialisation outside the owner's lock.</summary>
    public Flight[] Copy() => [.. _rows];
}
