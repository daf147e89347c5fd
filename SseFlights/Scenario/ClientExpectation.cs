namespace SseFlights.Scenario;

/// <summary>One event a conforming client dispatches: its type, its data, and the last event id it holds then.</summary>
internal sealed record ExpectedEvent(string Type, string Data, string LastEventId);

/// <summary>
/// What a client conforming to the WHATWG HTML spec (§9.2) must observe when it plays a case of the
/// client pack: every event it dispatches, how many requests for <c>/events</c> it makes (and, where the
/// case lists them, what each carries, from the server's request log), and (where the case is about
/// retry) the reconnection time it ends with; and, for each client the suite plays the pack with that
/// is known to depart from the spec here, what it observes instead.
/// </summary>
internal sealed record ClientExpectation(IReadOnlyList<ExpectedEvent> Events, int Requests, int? Retry)
{
    /// <summary>The clients a deviation may name: the ones the suite plays the pack with.</summary>
    public static readonly IReadOnlyList<string> Clients = ["chromium", "firefox", "eventsource", "fetch-event-source", "dotnet"];

    /// <summary>What each of the <see cref="Requests"/> carries, in order, when the case lists them; null when it only counts them.</summary>
    public IReadOnlyList<ExpectedRequest>? RequestLog { get; init; }

    /// <summary>The recorded deviations, by client name (one of <see cref="Clients"/>).</summary>
    public IReadOnlyDictionary<string, ClientDeviation> Deviations { get; init; } = new Dictionary<string, ClientDeviation>();

    /// <summary>
    /// Exactly what <paramref name="client"/> must observe: its deviation's observed values where it
    /// records them, this expectation's everywhere else (a deviation that counts the requests replaces the list).
    /// </summary>
    public ClientExpectation For(string client) =>
        Deviations.TryGetValue(client, out var deviation)
            ? new ClientExpectation(deviation.Events ?? Events, deviation.Requests ?? Requests, deviation.Retry ?? Retry)
            {
                RequestLog = deviation.Requests is null ? RequestLog : deviation.RequestLog,
            }
            : this with { Deviations = new Dictionary<string, ClientDeviation>() };
}

/// <summary>
/// Where one client departs from the spec in one case: why, and what it observes instead. Only the
/// members that differ from the case's expect are recorded; a null one is as in expect. The entry is
/// the client's, never the case's: once the client conforms, its test fails and the entry is removed.
/// </summary>
internal sealed record ClientDeviation(string Reason, IReadOnlyList<ExpectedEvent>? Events, int? Requests, int? Retry)
{
    /// <summary>The requests this client makes, when the deviation lists them (then <see cref="Requests"/> is their count).</summary>
    public IReadOnlyList<ExpectedRequest>? RequestLog { get; init; }
}
