using System.Net;

namespace SseFlights.Http;

/// <summary>A fault the control API set: the next <paramref name="Count"/> GET /events get this answer instead of a stream.</summary>
internal sealed record FaultRule(int Status, int Count, string? Location);

/// <summary>The pending fault, taken one request at a time (the accept loop serves requests concurrently).</summary>
internal sealed class ControlFaults
{
    private readonly Lock _gate = new();
    private FaultRule? _rule;

    public void Set(FaultRule rule)
    {
        lock (_gate)
        {
            _rule = rule;
        }
    }

    /// <summary>The fault's answer to <paramref name="context"/> if one is pending; null if the stream should go ahead.</summary>
    public Task? TryAnswer(HttpListenerContext context)
    {
        FaultRule rule;
        lock (_gate)
        {
            if (_rule is null)
            {
                return null;
            }

            rule = _rule;
            _rule = rule.Count > 1 ? rule with { Count = rule.Count - 1 } : null;
        }

        var response = context.Response;
        if (rule.Location is not null)
        {
            response.Headers["Location"] = rule.Location;
        }

        if (rule.Status is 204 or 304)
        {
            Responses.Empty(response, rule.Status);
            return Task.CompletedTask;
        }

        return Responses.TextAsync(response, rule.Status, $"Fault set by the control API: {rule.Status}.");
    }
}
