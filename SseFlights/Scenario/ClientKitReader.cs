using System.Text.Json;
using SseFlights.Sse;

namespace SseFlights.Scenario;

/// <summary>
/// Reads the scenario members that serve client testing: <c>wire</c>, <c>snapshot</c>, <c>methods</c>,
/// <c>corsOrigins</c>, <c>responses</c> (<see cref="ResponseRuleReader"/>), <c>clientRequest</c>
/// (<see cref="ClientRequestReader"/>), <c>description</c> and <c>expect</c> (<see cref="ClientExpectationReader"/>).
/// </summary>
internal sealed class ClientKitReader(JsonChecks checks)
{
    public ScenarioDefinition Read(JsonElement root, ScenarioDefinition scenario)
    {
        var methods = new StreamMethodsReader(checks).Read(root);
        return scenario with
        {
            Wire = ReadWire(root),
            Snapshot = checks.Boolean(root, "", "snapshot", fallback: true),
            Methods = methods,
            CorsOrigins = new StreamMethodsReader(checks).ReadOrigins(root),
            Responses = new ResponseRuleReader(checks, methods).ReadAll(root),
            ClientRequest = new ClientRequestReader(checks, methods).Read(root),
            Description = root.TryGetProperty("description", out _) ? checks.String(root, "", "description", required: true, allowEmpty: false) : null,
            Expect = root.TryGetProperty("expect", out var expect) ? new ClientExpectationReader(checks).Read(expect) : null,
        };
    }

    private WireFormat ReadWire(JsonElement root)
    {
        if (!root.TryGetProperty("wire", out var wire) || !checks.IsObject(wire, "wire", "an object with \"lineEnding\" and \"bom\""))
        {
            return WireFormat.Default;
        }

        checks.OnlyMembers(wire, "wire", "lineEnding", "bom");
        var ending = LineEnding.Lf;
        if (wire.TryGetProperty("lineEnding", out var value))
        {
            string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            LineEnding? parsed = text switch { "lf" => LineEnding.Lf, "crlf" => LineEnding.Crlf, "cr" => LineEnding.Cr, _ => null };
            if (parsed is null)
            {
                string got = text is null ? JsonChecks.Describe(value) : $"'{text}'";
                checks.Errors.Add("wire.lineEnding", $"expected \"lf\", \"crlf\" or \"cr\", got {got}");
            }

            ending = parsed ?? LineEnding.Lf;
        }

        return new WireFormat(ending, checks.Boolean(wire, "wire", "bom", fallback: false));
    }
}
