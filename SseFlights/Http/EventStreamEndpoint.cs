using System.Net;
using Serilog;
using SseFlights.Broadcast;
using SseFlights.Metrics;
using SseFlights.Scenario;
using SseFlights.Sse;

namespace SseFlights.Http;

/// <summary>GET /events: decides how the stream starts (snapshot, resume, live, 204, 503), then hands it to its session.</summary>
internal sealed class EventStreamEndpoint(EventHub hub, StreamLimits limits, int retryMilliseconds, WireFormat wire, ResponseRules rules, TimeProvider time, ServerMetrics metrics, ILogger log)
{
    private readonly ILogger _log = log.ForContext<EventStreamEndpoint>();
    private readonly byte[] _preamble = [.. wire.Bom ? WireFormat.BomBytes : [], .. SseFormatter.FormatRetry(retryMilliseconds, wire.LineEnding)];
    private readonly EncodedEvent _heartbeat = EncodedEvent.Comment(SseFormatter.FormatComment("heartbeat", wire.LineEnding));
    private long _nextClientId;

    public async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        long clientId = Interlocked.Increment(ref _nextClientId);
        var (number, rule) = rules.Next(request.QueryString["client"]);
        if (rule is not null && !await ScriptedAnswer.BeforeStreamAsync(response, number, rule, time).ConfigureAwait(false))
        {
            _log.Information("Client {ClientId} request {Request} answered {Status} by a responses rule", clientId, number, rule.Status);
            return;
        }

        // The header wins over the query parameter, which exists for polyfills that cannot set headers.
        string? lastEventId = request.Headers["Last-Event-ID"] ?? request.QueryString["lastEventId"];
        var session = new EventStreamSession(clientId, ResponseBody.Open(response), limits, _heartbeat, time, metrics, _log);
        var plan = hub.Join(session, lastEventId);
        metrics.StreamOpened(plan);
        switch (plan.Kind)
        {
            case JoinKind.NoContent:
                _log.Information("Client {ClientId} from {Remote} got 204 No Content: {Reason}", clientId, request.RemoteEndPoint, plan.Reason);
                Responses.Empty(response, 204);
                return;
            case JoinKind.Refused:
                _log.Warning("Client {ClientId} from {Remote} refused: {Reason}", clientId, request.RemoteEndPoint, plan.Reason);
                response.Headers["Retry-After"] = "5";
                await Responses.TextAsync(response, 503, $"Service unavailable: {plan.Reason}; try again shortly.").ConfigureAwait(false);
                return;
        }

        response.StatusCode = 200;
        response.ContentType = rule?.ContentType ?? "text/event-stream; charset=utf-8";
        response.Headers["Cache-Control"] = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        response.Headers["X-Content-Type-Options"] = "nosniff";

        int resent = plan.Kind == JoinKind.Resume ? plan.Frames.Count : 0;
        _log.Information(
            "Stream {ClientId} opened from {Remote}: {Join} ({Reason}), {Resent} resent",
            clientId, request.RemoteEndPoint, plan.Kind, plan.Reason, resent);

        long opened = time.GetTimestamp();
        using var endAfter = ScriptedAnswer.EndAfter(session, rule, time);
        try
        {
            await session.RunAsync(_preamble, plan.Frames, plan.EndsStream).ConfigureAwait(false);
        }
        finally
        {
            hub.Leave(session);
            metrics.StreamEnded(session.EndReason);
            _log.Information(
                "Stream {ClientId} closed after {Seconds:0.0}s: {Why}; {Events} events sent",
                clientId, time.GetElapsedTime(opened).TotalSeconds, session.EndReason.Describe(), session.EventsSent);
        }
    }
}
