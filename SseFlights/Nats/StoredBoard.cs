using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SseFlights.Scenario;

namespace SseFlights.Nats;

/// <summary>
/// The board a snapshot stores (the <c>board</c> of <see cref="BoardSnapshot"/>): its rows, and the id of
/// the last event applied by then, which a replica starting from it gives its first snapshot. That id
/// is at or below the snapshot's sequence (the messages after the last event became no event), and the
/// same on every replica, so a client's snapshot id does not depend on where the replica started.
/// </summary>
internal sealed record StoredBoard(long LastEventId, IReadOnlyList<Flight> Flights)
{
    private static readonly StoredBoardJsonContext Context = new(new JsonSerializerOptions(StoredBoardJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public string ToJson() => JsonSerializer.Serialize(this, Context.StoredBoard);

    /// <summary>The board in a snapshot's JSON, or null (with the reason) when it is not one: a flight without a field, or a code twice.</summary>
    public static (StoredBoard? Board, string? Problem) Parse(string json)
    {
        StoredBoard? board;
        try
        {
            board = JsonSerializer.Deserialize(json, Context.StoredBoard);
        }
        catch (JsonException ex)
        {
            return (null, $"not a stored board: {ex.Message}");
        }

        if (board is not { Flights: { } flights } || board.LastEventId < 0)
        {
            return (null, "expected {\"lastEventId\": N, \"flights\": [...]}");
        }

        if (flights.Any(f => f is null || f.Code is null || f.Origin is null || f.Arrival is null || f.State is null))
        {
            return (null, "a flight without flight, origin, arrival or state");
        }

        return flights.Select(f => f.Code).Distinct(StringComparer.Ordinal).Count() == flights.Count
            ? (board, null)
            : (null, "a flight code appears twice");
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(StoredBoard))]
internal sealed partial class StoredBoardJsonContext : JsonSerializerContext;
