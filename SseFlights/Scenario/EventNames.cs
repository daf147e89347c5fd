namespace SseFlights.Scenario;

/// <summary>The event names the server gives meaning to.</summary>
internal static class EventNames
{
    public const string StateUpdate = "flightStateUpdate";
    public const string Addition = "flightAddition";
    public const string Removal = "flightRemoval";
    public const string Close = "closedConnection";
    public const string Snapshot = "snapshot";

    public static readonly IReadOnlyList<string> BuiltIn = [StateUpdate, Addition, Removal, Close, Snapshot];

    /// <summary>
    /// EventSource's own event types (WHATWG HTML §9.2): a frame named "error" or "open" would fire the
    /// page's connection handlers, and "message" is what a frame without a name already dispatches as.
    /// </summary>
    public static readonly IReadOnlyList<string> Reserved = ["message", "error", "open"];

    /// <summary>Why <paramref name="name"/> cannot be a custom event's name, or null if it can.</summary>
    public static string? CustomProblem(string name)
    {
        if (Problem(name) is { } problem)
        {
            return problem;
        }

        if (BuiltIn.Contains(name))
        {
            return $"'{name}' is a built-in event; list only your own events here";
        }

        return Reserved.Contains(name)
            ? $"'{name}' is one of EventSource's own event names (message, error, open), which a browser would mistake for its own; choose another name"
            : null;
    }

    /// <summary>
    /// Why a name cannot be an SSE event type, or null if it can. CR and LF would end the field
    /// (WHATWG HTML §9.2.6), NUL is refused by parsers, and ':' would read as a field separator to a human.
    /// </summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "an event name must not be empty";
        }

        foreach (char c in name)
        {
            switch (c)
            {
                case '\r': return "an event name must not contain a carriage return";
                case '\n': return "an event name must not contain a line feed";
                case '\0': return "an event name must not contain NUL";
                case ':': return "an event name must not contain ':'";
            }
        }

        return null;
    }
}
