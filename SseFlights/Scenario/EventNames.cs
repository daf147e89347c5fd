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
