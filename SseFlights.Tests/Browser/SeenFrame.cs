using System.Text.Json;

namespace SseFlights.Tests.Browser;

/// <summary>A frame as the page recorded it in window.sseflights.frames().</summary>
internal sealed record SeenFrame(long? Id, string Event, string Data, bool Resent)
{
    public static SeenFrame FromJson(JsonElement frame) => new(
        frame.GetProperty("id").ValueKind == JsonValueKind.Null ? null : frame.GetProperty("id").GetInt64(),
        frame.GetProperty("event").GetString()!,
        frame.GetProperty("data").GetString()!,
        frame.GetProperty("resent").GetBoolean());
}
