namespace SseFlights.Scenario;

/// <summary>
/// How to answer one request for <c>/events</c> instead of the usual way: a status other than 200 (with
/// <paramref name="Location"/> for a redirect), another Content-Type for the stream, headers withheld for
/// <paramref name="DelayMs"/>, or a stream ended cleanly after <paramref name="EndAfterMs"/>; a stream held
/// after its head (<see cref="Hold"/>) or with a faulty transport (<see cref="Transport"/>).
/// A plain value, so whatever picks the request (a scenario's rule, a fault injected at run time) can share it.
/// </summary>
internal sealed record ResponseRule(int Status = 200, string? Location = null, string? ContentType = null, int DelayMs = 0, int? EndAfterMs = null)
{
    public const int MaxDelayMs = 60_000;
    public const int MaxEndAfterMs = 86_400_000;

    /// <summary>The stream's head and <c>retry:</c> go out, its events wait until the control API releases the client's key.</summary>
    public bool Hold { get; init; }

    /// <summary>Bandwidth, latency, and a reset, stall or truncation for this stream alone; null for a healthy transport.</summary>
    public TransportFault? Transport { get; init; }

    /// <summary>True when the answer is a stream (200), which contentType, endAfterMs, hold and the transport faults shape.</summary>
    public bool Streams => Status == 200;

    /// <summary>A redirect, which sends the client to its <paramref name="Location"/>.</summary>
    public bool IsRedirect => IsRedirectStatus(Status);

    /// <summary>
    /// The 3xx that redirect (RFC 9110 §15.4: 301, 302, 303, 307, 308) and so need a Location. Not
    /// 304 Not Modified, which has none (and no body), nor the unused 305 and 306, nor 300.
    /// </summary>
    public static bool IsRedirectStatus(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <summary>Where a Location means something: a redirect, and 300 Multiple Choices, where it names the server's preferred choice (RFC 9110 §15.4.1).</summary>
    public static bool TakesLocation(int status) => IsRedirectStatus(status) || status == 300;

    /// <summary>What <see cref="TakesLocation"/> says, for an error message.</summary>
    public const string LocationStatuses = "a redirect (301, 302, 303, 307, 308) or 300";
}
