using System.Net;
using SseFlights.Scenario;

namespace SseFlights.Http;

/// <summary>
/// Carries out a <see cref="ResponseRule"/> on one <c>GET /events</c>, whoever set it: a scenario's
/// <c>responses</c> rule for a request number, or a fault injected through the control API.
/// </summary>
internal static class RuleAnswer
{
    /// <summary>
    /// Withholds the headers for the rule's delay, then answers a non-200 status itself, with
    /// <paramref name="why"/> as the body's reason. True when the request goes on to be a stream.
    /// </summary>
    public static async Task<bool> BeforeStreamAsync(HttpListenerResponse response, ResponseRule rule, string why, TimeProvider time, CancellationToken lifetime)
    {
        if (rule.DelayMs > 0)
        {
            // The server's lifetime ends the wait: a shutdown does not sit out a minute's delay.
            await Task.Delay(TimeSpan.FromMilliseconds(rule.DelayMs), time, lifetime).ConfigureAwait(false);
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

        await Responses.TextAsync(response, rule.Status, why).ConfigureAwait(false);
        return false;
    }
}
