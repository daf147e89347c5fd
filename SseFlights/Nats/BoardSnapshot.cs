using System.Buffers;
using System.Text.Json;

namespace SseFlights.Nats;

/// <summary>
/// The board as it stood once the message at <paramref name="Sequence"/> was applied, as the hub's own
/// JSON (opaque here). Stored as <c>{"sequence":N,"board":BOARD}</c>: a replica that starts after the
/// older messages were discarded begins from it and reads the log from <c>Sequence + 1</c>.
/// </summary>
internal sealed record BoardSnapshot(long Sequence, string BoardJson)
{
    /// <summary>The stored value; throws <see cref="ArgumentException"/> if <see cref="BoardJson"/> is not one JSON value.</summary>
    public byte[] ToUtf8()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("sequence", Sequence);
            writer.WritePropertyName("board");
            try
            {
                writer.WriteRawValue(BoardJson);
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"the board is not one JSON value: {ex.Message}", nameof(BoardJson), ex);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The snapshot in a stored value, or null (with the reason) if it is not one.</summary>
    public static (BoardSnapshot? Snapshot, string? Problem) Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("sequence", out var sequence) && sequence.ValueKind == JsonValueKind.Number && sequence.TryGetInt64(out long value) && value >= 0
                && root.TryGetProperty("board", out var board))
            {
                return (new BoardSnapshot(value, board.GetRawText()), null);
            }

            return (null, "expected {\"sequence\": N, \"board\": ...}");
        }
        catch (JsonException ex)
        {
            return (null, $"malformed JSON: {ex.Message}");
        }
    }
}
