using System.Text.Json;
using SseFlights.Scenario;

namespace SseFlights.Kit;

/// <summary>
/// <c>/kit/pack.json</c>: what the kit page needs to play and grade each case: its stream, the request it
/// sends, the event types to listen for, what the spec says a client observes, and each recorded deviation.
/// Written by hand with a <see cref="Utf8JsonWriter"/>: no reflection, and the shape is the page's.
/// </summary>
internal static class KitPackJson
{
    public static byte[] Write(IReadOnlyList<KitCase> cases)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("cases");
            foreach (var kitCase in cases)
            {
                WriteCase(json, kitCase);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteCase(Utf8JsonWriter json, KitCase kitCase)
    {
        var scenario = kitCase.Scenario;
        var request = scenario.ClientRequest;
        json.WriteStartObject();
        json.WriteString("name", kitCase.Name);
        json.WriteString("description", scenario.Description);
        json.WriteString("stream", kitCase.StreamPath);
        json.WriteStartObject("request");
        json.WriteString("method", request.Method);
        WriteStrings(json, "headers", request.Headers.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value)));
        json.WriteString("body", request.Body);
        json.WriteBoolean("crossOrigin", request.CrossOrigin);
        json.WriteBoolean("eventSource", request.EventSourceCanSend);
        json.WriteEndObject();
        json.WriteStartArray("types");
        foreach (string type in kitCase.EventTypes())
        {
            json.WriteStringValue(type);
        }

        json.WriteEndArray();
        var expect = scenario.Expect!;
        json.WritePropertyName("expect");
        WriteObserved(json, expect.Events, expect.Requests, expect.RequestLog, expect.Retry, null);
        json.WriteStartObject("deviations");
        foreach (var (client, deviation) in expect.Deviations.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            json.WritePropertyName(client);
            var wanted = expect.For(client);
            WriteObserved(json, wanted.Events, wanted.Requests, wanted.RequestLog, wanted.Retry, deviation.Reason);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>What a client observes in full (a deviation's merged with expect, as the suite checks it).</summary>
    private static void WriteObserved(Utf8JsonWriter json, IReadOnlyList<ExpectedEvent> events, int requests, IReadOnlyList<ExpectedRequest>? log, int? retry, string? reason)
    {
        json.WriteStartObject();
        if (reason is not null)
        {
            json.WriteString("reason", reason);
        }

        json.WriteStartArray("events");
        foreach (var e in events)
        {
            json.WriteStartObject();
            json.WriteString("type", e.Type);
            json.WriteString("data", e.Data);
            json.WriteString("lastEventId", e.LastEventId);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("requests", requests);
        if (log is not null)
        {
            json.WriteStartArray("requestLog");
            foreach (var r in log)
            {
                WriteRequest(json, r);
            }

            json.WriteEndArray();
        }

        if (retry is { } ms)
        {
            json.WriteNumber("retry", ms);
        }

        json.WriteEndObject();
    }

    private static void WriteRequest(Utf8JsonWriter json, ExpectedRequest r)
    {
        json.WriteStartObject();
        if (r.Method is not null)
        {
            json.WriteString("method", r.Method);
        }

        WriteStrings(json, "headers", r.Headers.AsEnumerable());
        if (r.MatchesBody)
        {
            json.WriteString("body", r.Body);
        }

        if (r.MinSincePreviousMs is { } min)
        {
            json.WriteNumber("minSincePreviousMs", min);
        }

        if (r.MaxSincePreviousMs is { } max)
        {
            json.WriteNumber("maxSincePreviousMs", max);
        }

        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, string?>> values)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }
}
