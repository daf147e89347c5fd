using SseFlights.Scenario;

namespace SseFlights.Record;

/// <summary>
/// How a recorded SSE event type becomes a scenario event name. A scenario cannot hold an
/// unnamed event (SseFlights always names its frames) nor EventSource's own types, so those are
/// renamed with an <c>sse-</c> prefix, and ':' (which a scenario refuses in a name) becomes '.'.
/// </summary>
internal static class RecordedNames
{
    /// <summary>What an unnamed event (type "message" to the parser) is recorded as.</summary>
    public const string Unnamed = "sse-message";

    public static string ForScenario(string eventType)
    {
        if (EventNames.Reserved.Contains(eventType))
        {
            // "message" is both an unnamed event and one named message: the wire cannot tell them apart.
            return "sse-" + eventType;
        }

        return eventType.Replace(':', '.');
    }
}
