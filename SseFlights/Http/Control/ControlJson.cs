using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SseFlights.Http.Control;

/// <summary>200 from POST /api/control/advance: the ids the steps published, and the scenario second the clock now stands at.</summary>
internal sealed record AdvanceAnswer(IReadOnlyList<long> Ids, double ScenarioTime);

/// <summary>200 from POST /api/control/release: how many held streams went on.</summary>
internal sealed record ReleaseAnswer(int Released);

/// <summary>200 from DELETE /api/control/requests: how many requests the log forgot.</summary>
internal sealed record ClearedAnswer(int Cleared);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<LoggedRequest>))]
[JsonSerializable(typeof(AdvanceAnswer))]
[JsonSerializable(typeof(ReleaseAnswer))]
[JsonSerializable(typeof(ClearedAnswer))]
internal sealed partial class TestControlJsonContext : JsonSerializerContext;

/// <summary>The control API's testing answers as readable JSON: headers and bodies shown as sent (quotes and non-ASCII unescaped where JSON allows).</summary>
internal static class TestControlJson
{
    public static TestControlJsonContext Context { get; } = new(new JsonSerializerOptions(TestControlJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
