using System.Net;
using System.Text;
using System.Text.Json;
using Serilog;
using SseFlights.Scenario;

namespace SseFlights.Http.Control;

/// <summary>
/// <c>POST /api/control/faults</c>: the next <c>count</c> requests for the stream get this answer, with the
/// members of a scenario's <c>responses</c> rule (status, location, contentType, delayMs, endAfterMs, hold,
/// and the transport faults: bandwidth, latency, reset, stall, truncate), read and checked by the same reader.
/// </summary>
internal sealed class FaultsEndpoint(ControlFaults faults, ILogger log)
{
    private static readonly string[] Members = ["count", .. ResponseRuleReader.AnswerMembers];

    private readonly ILogger _log = log.ForContext<FaultsEndpoint>();

    public async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        if (context.Request.HttpMethod != "POST")
        {
            await Responses.MethodNotAllowedAsync(response, "POST").ConfigureAwait(false);
            return;
        }

        var (fits, body) = await RequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        if (!fits)
        {
            await Responses.TextAsync(response, 413, $"Content too large: a control request body may be at most {RequestBody.MaxBytes} bytes.").ConfigureAwait(false);
            return;
        }

        Fault fault;
        try
        {
            fault = ControlBody.Read(Encoding.UTF8.GetBytes(body), Read);
        }
        catch (JsonException ex)
        {
            await Responses.TextAsync(response, 400, $"Bad request: malformed JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}.").ConfigureAwait(false);
            return;
        }
        catch (ScenarioException ex)
        {
            await Responses.TextAsync(response, 422, string.Join("\n", ex.Errors)).ConfigureAwait(false);
            return;
        }

        faults.Set(fault.Rule, fault.Count);
        _log.Information("Control: the next {Count} requests for the stream get {Rule}", fault.Count, fault.Rule);
        Responses.Empty(response, 204);
    }

    private static Fault? Read(JsonElement root, JsonChecks checks)
    {
        checks.OnlyMembers(root, "", Members);
        if (!ResponseRuleReader.AnswerMembers.Any(m => root.TryGetProperty(m, out _)))
        {
            checks.Errors.Add("", "give \"status\" (200 to 599), \"hold\" or a transport fault (\"bandwidth\", \"latency\", \"reset\", \"stall\", \"truncate\"), and \"count\"");
        }

        int? count = checks.WholeNumber(root, "", "count", 1, 1_000_000, "the number of requests the fault answers, from 1 to 1000000");
        var rule = new ResponseRuleReader(checks, StreamMethods).ReadAnswer(root, "");
        return count is null || rule is null ? null : new Fault(rule, count.Value);
    }

    // A fault answers whatever request comes next, whatever its method: no rule selectors here.
    private static readonly IReadOnlyList<string> StreamMethods = [];

    private sealed record Fault(ResponseRule Rule, int Count);
}
