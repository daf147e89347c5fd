using System.Net;
using Serilog;
using SseFlights.Delivery;
using SseFlights.Http.Listener;
using SseFlights.Hub;
using SseFlights.Scenario;
using SseFlights.Sse;

namespace SseFlights.Http;

/// <summary>GET /events: a scripted or injected answer if one is due, else joins the hub (snapshot, resume, live, 204, 503) and hands the stream to its delivery.</summary>
internal sealed class EventStreamEndpoint(
    EventHub hub,
    StreamSessions sessions,
    ListenerInternals internals,
    StreamLimits limits,
    int retryMilliseconds,
    WireFormat wire,
    ResponseRules rules,
    ControlFaults? faults,
    TimeProvider time,
    IDeliveryObserver observer,
    ILogger log,
    IOlderEventSource? olderEvents = null)
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
    private readonly Frame _heartbeat = new FrameEncoder(wire.LineEnding).Heartbeat();
    private long _nextClientId;

    /// <summary>
    /// HEAD /events: the status and headers a GET would get now (200, 204 after the close, 503 when
    /// full), with no body and without joining, so it takes no slot. A page whose EventSource gave up
    /// (EventSource never tells why) asks this to choose between waiting, backing off and stopping.
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
                internals.CloseUnanswered(context);
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
        var rule = await AnswerByRuleAsync(response, clientId, client, lifetime).ConfigureAwait(false);
        if (rule is { Streams: false })
        {
            return;
        }

        // A live log's events older than the history, read before the stream exists (it may take a few round trips).
        string? lastEventId = LastEventId(request);
        var older = olderEvents is null ? null : await olderEvents.FetchAsync(lastEventId, lifetime).ConfigureAwait(false);
        var delivery = new StreamDelivery(clientId, ResponseBodies.Open(response, internals), limits, _heartbeat, time, observer, _log);

        // Tracked before the hub can offer it anything, so shutdown never misses a starting stream.
        using var tracked = sessions.Track(delivery);
        var plan = hub.Join(delivery, lastEventId, older);
        if (!plan.IsStream)
        {
            // It will never run: it has ended, so a shutdown waiting for it does not wait for the answer below.
            delivery.Decline();
            await AnswerWithoutStreamAsync(context, clientId, plan).ConfigureAwait(false);
            return;
        }

        StreamHeaders(response);
        if (rule?.ContentType is { } contentType)
        {
            response.ContentType = contentType;
        }

        // The request is read and a stream's body never is: its read buffer and its headers can go.
        ConnectionReadBuffer.Release(context, internals);
        HeaderMemory.Release(request);
        _log.Information(
            "Stream {ClientId} opened from {Remote}: {Join} ({Reason}), {Resent} resent",
            clientId, request.RemoteEndPoint, plan.Kind, plan.Reason, plan.Kind == JoinKind.Resume ? plan.Frames.Count : 0);

        long opened = time.GetTimestamp();
        using var endAfter = rule?.EndAfterMs is { } ms ? time.CreateTimer(static d => ((StreamDelivery)d!).Finish(StreamEndReason.Drop), delivery, TimeSpan.FromMilliseconds(ms), Timeout.InfiniteTimeSpan) : null;
        try
        {
            await delivery.RunAsync(_preamble, plan.Frames, lifetime).ConfigureAwait(false);
        }
        finally
        {
            hub.Leave(delivery);
            _log.Information(
                "Stream {ClientId} closed after {Seconds:0.0}s: {Why}; {Events} events sent",
                clientId, time.GetElapsedTime(opened).TotalSeconds, delivery.EndReason.Describe(), delivery.EventsSent);
        }
    }

    /// <summary>A control fault if one is pending, else the scenario's rule for this request's number; answered here unless it streams.</summary>
    private async Task<ResponseRule?> AnswerByRuleAsync(HttpListenerResponse response, long clientId, string? client, CancellationToken lifetime)
    {
        string why;
        var rule = faults?.Take();
        if (rule is not null)
        {
            why = $"Fault set by the control API: {rule.Status}.";
        }
        else
        {
            (int number, rule) = rules.Next(client);
            why = $"Scripted answer: the scenario's responses rule for request {number} says {rule?.Status}.";
        }

        if (rule is not null && !await RuleAnswer.BeforeStreamAsync(response, rule, why, time, lifetime).ConfigureAwait(false))
        {
            _log.Information("Client {ClientId} answered {Status} by a rule: {Why}", clientId, rule.Status, why);
        }

        return rule;
    }

    private Task AnswerWithoutStreamAsync(HttpListenerContext context, long clientId, JoinPlan plan)
    {
        var remote = context.Request.RemoteEndPoint;
        switch (plan.Kind)
        {
            case JoinKind.NoContent:
                _log.Information("Client {ClientId} from {Remote} got 204 No Content: {Reason}", clientId, remote, plan.Reason);
                Responses.Empty(context.Response, 204);
                return Task.CompletedTask;
            case JoinKind.Refused:
                _log.Warning("Client {ClientId} from {Remote} refused: {Reason}", clientId, remote, plan.Reason);
                return RefuseAsync(context.Response, plan, headOnly: false);
            default:
                _log.Information("Client {ClientId} from {Remote} closed unanswered: {Reason}; it reconnects elsewhere", clientId, remote, plan.Reason);
                internals.CloseUnanswered(context);
                return Task.CompletedTask;
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
