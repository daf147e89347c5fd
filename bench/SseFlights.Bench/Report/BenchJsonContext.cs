using System.Text.Json.Serialization;

namespace SseFlights.Bench.Report;

/// <summary>Source-generated JSON for the bench's own types: one-line results and the report.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RunResult))]
[JsonSerializable(typeof(LiveResult))]
[JsonSerializable(typeof(ReportDocument))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
