using System.Net;
using SseFlights.Broadcast;
using SseFlights.Scenario;

namespace SseFlights.Http;

/// <summary>Carries out a <see cref="ResponseRule"/> on one <c>GET /events</c>.</summary>
internal static class ScriptedAnswer
{
    /// <summary>
    /// Withholds the headers for the rule's delay, then answers a non-200 status itself.
    /// Returns true when the request goes on to be a stream.
    /// </summary>
    public static async Task<bool> BeforeStreamAsync(HttpListenerResponse response, int request, ResponseRule rule, TimeProvider time)
    {
        if (rule.DelayMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(rule.DelayMs), time).ConfigureAwait(false);
        }

        if (rule.Streams)
        {
            return true;
        }

        if (rule.Location is not null)
        {
            response.RedirectLocation = rule.Location;
        }

        // These statuses have no body by definition (RFC 9110 §15.3.5, §15.3.6, §15.4.5).
        if (rule.Status is 204 or 205 or 304)
        {
            Responses.Empty(response, rule.Status);
            return false;
        }

        await Responses.TextAsync(response, rule.Status, $"Scripted answer: the scenario's responses rule for request {request} says {rule.Status}.").ConfigureAwait(false);
        return false;
    }

    /// <summary>Ends the stream cleanly once the rule's time is up (the client reconnects as after a drop); null without one.</summary>
    public static ITimer? EndAfter(IEventSubscriber session, ResponseRule? rule, TimeProvider time) =>
        rule?.EndAfterMs is { } ms
            ? time.CreateTimer(_ => session.Finish(StreamEndReason.Drop), null, TimeSpan.FromMilliseconds(ms), Timeout.InfiniteTimeSpan)
            : null;
}
