using System.Net;
using Serilog;
using SseFlights.Broadcast;
using SseFlights.Metrics;
using SseFlights.Scenario;
using SseFlights.Sse;

namespace SseFlights.Http;

/// <summary>GET /events: decides how the stream starts (snapshot, resume, live, 204, 503), then hands it to its session.</summary>
internal sealed class EventStreamEndpoint(
    EventHub hub,
    StreamSessions sessions,
    WritePath writePath,
    StreamLimits limits,
    int retryMilliseconds,
    WireFormat wire,
    ResponseRules rules,
    TimeProvider time,
    ServerMetrics metrics,
    ILogger log)
{
    /// <summary>
    /// Logged at Debug for every <c>GET /events</c> before it is answered, whatever the answer: how a
    /// client author counts a client's reconnects (by the <c>client</c> query value it gave).
    /// </summary>
    internal const string RequestTemplate = "Client {ClientId} from {Remote} asked for the stream as client {Client}";

    /// <summary>How long a refused client should wait; the page waits this (plus jitter) before trying again.</summary>
    private const string RetryAfterSeconds = "5";

    private readonly ILogger _log = log.ForContext<EventStreamEndpoint>();
    private readonly byte[] _preamble = [.. wire.Bom ? WireFormat.BomBytes : [], .. SseFormatter.FormatRetry(retryMilliseconds, wire.LineEnding)];
    private readonly EncodedEvent _heartbeat = EncodedEvent.Comment(SseFormatter.FormatComment("heartbeat", wire.LineEnding));
    private long _nextClientId;

    /// <summary>
    /// HEAD /events: the status and headers a GET would get now (200, 204 after the close, 503 when
    /// full), with no body and without joining, so it takes no slot. A page whose EventSource gave
    /// up (EventSource never tells why) asks this to choose between waiting, backing off and stopping.
    /// </summary>
    public Task HeadAsync(HttpListenerContext context)
    {
        var response = context.Response;
        var plan = hub.Peek(LastEventId(context.Request));
        switch (plan.Kind)
        {
            case JoinKind.NoContent:
                Responses.Empty(response, 204);
                return Task.CompletedTask;
            case JoinKind.Refused:
                return RefuseAsync(response, plan, headOnly: true);
            case JoinKind.ShuttingDown:
                response.Abort();
                return Task.CompletedTask;
        }

        StreamHeaders(response);
        // Left chunked, HttpListener would end the answer with the last chunk: a body a HEAD must not have.
        response.ContentLength64 = 0;
        response.Close();
        return Task.CompletedTask;
    }

    public async Task HandleAsync(HttpListenerContext context, CancellationToken lifetime)
    {
        var request = context.Request;
        var response = context.Response;
        long clientId = Interlocked.Increment(ref _nextClientId);
        string? client = request.QueryString["client"];
        _log.Debug(RequestTemplate, clientId, request.RemoteEndPoint, client ?? "(none)");
        var (number, rule) = rules.Next(client);
        if (rule is not null && !await ScriptedAnswer.BeforeStreamAsync(response, number, rule, time).ConfigureAwait(false))
        {
            _log.Information("Client {ClientId} request {Request} answered {Status} by a responses rule", clientId, number, rule.Status);
            return;
        }

        string? lastEventId = LastEventId(request);
        var session = new EventStreamSession(clientId, ResponseBody.Open(response, writePath), limits, _heartbeat, time, metrics, _log);

        // Tracked before the hub can offer it anything, so shutdown never misses a starting stream.
        using var tracked = sessions.Track(session);
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
                await RefuseAsync(response, plan, headOnly: false).ConfigureAwait(false);
                return;
            case JoinKind.ShuttingDown:
                _log.Information("Client {ClientId} from {Remote} closed unanswered: {Reason}; it reconnects elsewhere", clientId, request.RemoteEndPoint, plan.Reason);
                response.Abort();
                return;
        }

        StreamHeaders(response);

        // The request is read and a stream's body never is: its 8 KiB read buffer and its headers can go.
        ConnectionReadBuffer.Release(context);
        HeaderMemory.Release(request);
        if (rule?.ContentType is { } contentType)
        {
            response.ContentType = contentType;
        }

        int resent = plan.Kind == JoinKind.Resume ? plan.Frames.Count : 0;
        _log.Information(
            "Stream {ClientId} opened from {Remote}: {Join} ({Reason}), {Resent} resent",
            clientId, request.RemoteEndPoint, plan.Kind, plan.Reason, resent);

        long opened = time.GetTimestamp();
        using var endAfter = ScriptedAnswer.EndAfter(session, rule, time);
        try
        {
            await session.RunAsync(_preamble, plan.Frames, plan.EndsStream, lifetime).ConfigureAwait(false);
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

    // The header wins over the query parameter, which exists for polyfills that cannot set headers.
    private static string? LastEventId(HttpListenerRequest request) =>
        request.Headers["Last-Event-ID"] ?? request.QueryString["lastEventId"];

    private static Task RefuseAsync(HttpListenerResponse response, JoinPlan plan, bool headOnly)
    {
        response.Headers["Retry-After"] = RetryAfterSeconds;
        byte[] body = System.Text.Encoding.UTF8.GetBytes($"Service unavailable: {plan.Reason}; try again shortly.\n");
        return Responses.SendAsync(response, 503, "text/plain; charset=utf-8", body, headOnly);
    }

    private static void StreamHeaders(HttpListenerResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers["Cache-Control"] = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        response.Headers["X-Content-Type-Options"] = "nosniff";
    }
}
