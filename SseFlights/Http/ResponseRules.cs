using SseFlights.Scenario;

namespace SseFlights.Http;

/// <summary>
/// Numbers every <c>GET /events</c> from 1 per value of its <c>client</c> query parameter (requests
/// without one share a counter), so parallel tests each see their own request 1, 2, 3..., and
/// finds the scenario's rule for that number.
/// </summary>
internal sealed class ResponseRules(IReadOnlyDictionary<int, ResponseRule> rules)
{
    /// <summary>Counters kept at most: client names come from the network, so memory stays bounded.</summary>
    public const int MaxClients = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>This request's number for <paramref name="client"/>, and the rule for it (null: serve normally).</summary>
    public (int Request, ResponseRule? Rule) Next(string? client)
    {
        if (rules.Count == 0)
        {
            return (0, null);
        }

        int request;
        lock (_gate)
        {
            string key = client ?? "";
            if (!_counts.TryGetValue(key, out request) && _counts.Count >= MaxClients)
            {
                // A name we have no room for gets no rule rather than another name's numbers.
                return (0, null);
            }

            _counts[key] = ++request;
        }

        return (request, rules.GetValueOrDefault(request));
    }
}
