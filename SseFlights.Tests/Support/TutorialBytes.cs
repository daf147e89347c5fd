namespace SseFlights.Tests.Support;

/// <summary>The exact bytes a client reads from scenarios/tutorial.json when it connects before the first event.</summary>
internal static class TutorialBytes
{
    public const string Retry = "retry: 3000\n\n";

    public const string Snapshot0 =
        "event: snapshot\ndata: {\"flights\":[{\"flight\":\"A123\",\"origin\":\"London\",\"arrival\":\"08:15\",\"state\":\"\"},"
        + "{\"flight\":\"D654\",\"origin\":\"Berlin\",\"arrival\":\"08:45\",\"state\":\"\"},"
        + "{\"flight\":\"U213\",\"origin\":\"New York\",\"arrival\":\"09:05\",\"state\":\"\"},"
        + "{\"flight\":\"A987\",\"origin\":\"Buenos Aires\",\"arrival\":\"09:30\",\"state\":\"\"},"
        + "{\"flight\":\"I768\",\"origin\":\"Rome\",\"arrival\":\"10:10\",\"state\":\"\"},"
        + "{\"flight\":\"G119\",\"origin\":\"Tokyo\",\"arrival\":\"10:35\",\"state\":\"\"}]}\nid: 0\n\n";

    public const string Event1 = "event: flightStateUpdate\ndata: {\"flight\":\"I768\",\"state\":\"landing\"}\nid: 1\n\n";
    public const string Event2 = "event: flightStateUpdate\ndata: {\"flight\":\"I768\",\"state\":\"landed\"}\nid: 2\n\n";
    public const string Event3 = "event: flightRemoval\ndata: {\"flight\":\"I768\"}\nid: 3\n\n";
    public const string Event4 = "event: closedConnection\ndata:\nid: 4\n\n";

    /// <summary>The whole stream from the start to the server's close.</summary>
    public const string Whole = Retry + Snapshot0 + Event1 + Event2 + Event3 + Event4;
}
