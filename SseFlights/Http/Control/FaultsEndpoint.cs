using System.Net;
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
        if (await ControlBody.ReadPostAsync(context, Read).ConfigureAwait(false) is not { } fault)
        {
            return;
        }

        faults.Set(fault.Rule, fault.Count);
        _log.Information("Control: the next {Count} requests for the stream get {Rule}", fault.Count, fault.Rule);
        Responses.Empty(context.Response, 204);
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

    // A fault answers the next requests for the stream, whatever their method (HEAD and OPTIONS, which never
    // open a stream, are answered as always and do not take one): no rule selectors here.
    private static readonly IReadOnlyList<string> StreamMethods = [];

    private sealed record Fault(ResponseRule Rule, int Count);
}
