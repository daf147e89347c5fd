using System.Text.Json;

namespace SseFlights.Tests.Browser;

/// <summary>One flight on the board, as the page shows it or as /api/flights reports it.</summary>
internal sealed record BoardRow(string Flight, string Origin, string Arrival, string State)
{
    public static BoardRow FromJson(JsonElement row) => new(
        row.GetProperty("flight").GetString()!,
        row.GetProperty("origin").GetString()!,
        row.GetProperty("arrival").GetString()!,
        row.GetProperty("state").GetString()!);

    /// <summary>
    /// The page's order: by arrival, then by flight code, both ordinal ("HH:MM" sorts as text).
    /// /api/flights keeps the server's order (new flights at the end), so tests sort it with this.
    /// </summary>
    public static List<BoardRow> InBoardOrder(IEnumerable<BoardRow> rows) =>
        [.. rows.OrderBy(r => r.Arrival, StringComparer.Ordinal).ThenBy(r => r.Flight, StringComparer.Ordinal)];

    public override string ToString() => $"{Flight} {Origin} {Arrival} '{State}'";
}
