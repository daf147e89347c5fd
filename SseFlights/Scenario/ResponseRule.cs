namespace SseFlights.Scenario;

/// <summary>
/// How to answer one <c>GET /events</c> instead of the usual way: a status other than 200 (with
/// <paramref name="Location"/> for a 3xx), another Content-Type for the stream, headers withheld for
/// <paramref name="DelayMs"/>, or a stream ended cleanly after <paramref name="EndAfterMs"/>.
/// A plain value, so whatever picks the request (a scenario's request number, a fault injected at
/// run time) can share it.
/// </summary>
internal sealed record ResponseRule(int Status = 200, string? Location = null, string? ContentType = null, int DelayMs = 0, int? EndAfterMs = null)
{
    public const int MaxDelayMs = 60_000;
    public const int MaxEndAfterMs = 86_400_000;

    /// <summary>True when the answer is a stream (200), which contentType and endAfterMs shape.</summary>
    public bool Streams => Status == 200;

    public bool IsRedirect => Status is >= 300 and < 400;
}
