using SseFlights.Scenario;

namespace SseFlights.Http;

/// <summary>
/// The scenario's <c>responses</c> rules: the first that matches a request (its number for its client's
/// key from the <see cref="RequestLog"/>, its method, its headers) answers it. Requests with number 0
/// (a key beyond those the log numbers) get no rule rather than another key's.
/// </summary>
internal sealed class ResponseRules(IReadOnlyList<ScriptedResponse> rules)
{
    /// <summary>The rule for <paramref name="request"/>, whose headers <paramref name="header"/> reads; null: serve it normally.</summary>
    public ResponseRule? Find(LoggedRequest request, Func<string, string?> header)
    {
        if (request.Number == 0)
        {
            return null;
        }

        foreach (var rule in rules)
        {
            if (rule.When.Matches(request.Number, request.Method, header))
            {
                return rule.Rule;
            }
        }

        return null;
    }
}
