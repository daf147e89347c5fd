namespace SseFlights.Scenario;

/// <summary>
/// What a client-pack case asks the client under test to send: its method, extra headers and body, and
/// whether it asks from a page of another origin (a CORS request). The default is EventSource's own
/// request: a GET from the same origin, with no headers of the page's own and no body.
/// </summary>
internal sealed record ClientRequest(string Method, IReadOnlyDictionary<string, string> Headers, string? Body, bool CrossOrigin)
{
    public static readonly ClientRequest EventSource = new("GET", new Dictionary<string, string>(), null, false);

    /// <summary>
    /// True when EventSource can make this request: it only ever sends a GET without a body, with no
    /// header the page chose (WHATWG HTML §9.2.2 builds the request itself), from any origin.
    /// </summary>
    public bool EventSourceCanSend => Method == "GET" && Body is null && Headers.Count == 0;
}
