using System.Net;
using Serilog;
using SseFlights.Delivery;
using SseFlights.Http.Listener;
using SseFlights.Hub;
using SseFlights.Scenario;
using SseFlights.Sse;

namespace SseFlights.Http;

/// <summary>A request for the stream: a scripted or injected answer if one is due, else joins the hub (snapshot, resume, live, 204, 503) and hands the stream to its delivery.</summary>
internal sealed class EventStreamEndpoint(
    EventHub hub,
    StreamSessions sessions,
    ListenerInternals internals,
    StreamLimits limits,
    int retryMilliseconds,
    WireFormat wire,
    ResponseRules rules,
    ControlFaults? faults,
    StreamHolds holds,
    TimeProvider time,
    IDeliveryObserver observer,
    ILogger log,
    IOlderEventSource? olderEvents = null)
{
    /// <summary>
    /// Logged at Debug for every request for the stream before it is answered, whatever the answer: how a
    /// client author counts a client's reconnects (by the <c>client</c> query value it gave).
    /// </summary>
    internal const string RequestTemplate = "Client {ClientId} from {Remote} asked for the stream as client {Client}";

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
        var plan = hub.Peek(StreamAnswers.LastEventId(context.Request));
        switch (plan.Kind)
        {
            case JoinKind.NoContent:
                Responses.Empty(response, 204);
                return Task.CompletedTask;
            case JoinKind.Refused:
                return StreamAnswers.RefuseAsync(response, plan, headOnly: true);
            case JoinKind.ShuttingDown:
                internals.CloseUnanswered(context);
                return Task.CompletedTask;
        }

        StreamAnswers.StreamHeaders(response);

        // Left chunked, HttpListener would end the answer with the last chunk: a body a HEAD must not have.
        response.ContentLength64 = 0;
        response.Close();
        return Task.CompletedTask;
    }

    /// <param name="entry">The request as the request log numbered it, which the scenario's rules match.</param>
    public async Task HandleAsync(HttpListenerContext context, CancellationToken lifetime, LoggedRequest entry)
    {
        var request = context.Request;
        var response = context.Response;
        long clientId = Interlocked.Increment(ref _nextClientId);
        _log.Debug(RequestTemplate, clientId, request.RemoteEndPoint, entry.Client ?? "(none)");
        var rule = await AnswerByRuleAsync(context, clientId, entry, lifetime).ConfigureAwait(false);
        if (rule is { Streams: false } || rule?.Transport?.End is { BeforeHead: true })
        {
            return;
        }

        // A live log's events older than the history, read before the stream exists (it may take a few round trips),
        // unless the join would refuse the stream anyway (catching up, full, closed): then they would be read for nothing.
        string? lastEventId = StreamAnswers.LastEventId(request);
        var older = olderEvents is null || !hub.Peek(lastEventId).IsStream ? null : await olderEvents.FetchAsync(lastEventId, lifetime).ConfigureAwait(false);
        var transport = rule?.Transport;
        var delivery = new StreamDelivery(
            clientId, ResponseBodies.Open(response, internals), limits, _heartbeat, time, observer, _log, transport, transport is null ? null : () => internals.Reset(context));

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

        StreamAnswers.StreamHeaders(response);
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
        var held = rule?.Hold == true ? holds.Hold(entry.Client) : null;
        if (held is not null)
        {
            _log.Information("Stream {ClientId} is held after its head until client {Client} is released", clientId, entry.Client ?? "");
        }

        try
        {
            await delivery.RunAsync(_preamble, plan.Frames, lifetime, held?.Task).ConfigureAwait(false);
        }
        finally
        {
            if (held is not null)
            {
                holds.Leave(entry.Client, held);
            }

            hub.Leave(delivery);
            _log.Information(
                "Stream {ClientId} closed after {Seconds:0.0}s: {Why}; {Events} events sent",
                clientId, time.GetElapsedTime(opened).TotalSeconds, delivery.EndReason.Describe(), delivery.EventsSent);
        }
    }

    /// <summary>A control fault if one is pending, else the scenario's rule for this request; answered here unless it streams.</summary>
    private async Task<ResponseRule?> AnswerByRuleAsync(HttpListenerContext context, long clientId, LoggedRequest entry, CancellationToken lifetime)
    {
        string why;
        var rule = faults?.Take();
        if (rule is not null)
        {
            why = $"Fault set by the control API: {rule.Status}.";
        }
        else
        {
            var headers = context.Request.Headers;
            rule = rules.Find(entry, name => headers[name]);
            why = $"Scripted answer: the scenario's responses rule for request {entry.Number} says {rule?.Status}.";
        }

        if (rule is null || await RuleAnswer.BeforeStreamAsync(context.Response, rule, why, time, lifetime).ConfigureAwait(false) && rule.Transport?.End is not { BeforeHead: true })
        {
            return rule;
        }

        if (rule.Streams)
        {
            // A reset before the head: the request's only answer is a TCP reset, a network error to the client.
            _log.Information("Client {ClientId} answered with a reset by a rule, before the head", clientId);
            internals.Reset(context);
            context.Response.Abort();
            return rule;
        }

        _log.Information("Client {ClientId} answered {Status} by a rule: {Why}", clientId, rule.Status, why);
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
                return StreamAnswers.RefuseAsync(context.Response, plan, headOnly: false);
            default:
                _log.Information("Client {ClientId} from {Remote} closed unanswered: {Reason}; it reconnects elsewhere", clientId, remote, plan.Reason);
                internals.CloseUnanswered(context);
                return Task.CompletedTask;
        }
    }
}
