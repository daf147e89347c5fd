namespace SseFlights.Scenario;

/// <summary>A loaded and validated scenario: the starting board and the timed entries that change it.</summary>
internal sealed record ScenarioDefinition(
    string Name,
    bool Repeat,
    double? Cycle,
    IReadOnlyList<string> CustomEvents,
    IReadOnlyList<Flight> Flights,
    IReadOnlyList<TimelineEntry> Timeline)
{
    /// <summary>Line ending and BOM of every frame the server formats.</summary>
    public WireFormat Wire { get; init; } = WireFormat.Default;

    /// <summary>False for a bare stream: a new client gets no snapshot event (and so no id) before the timeline.</summary>
    public bool Snapshot { get; init; } = true;

    /// <summary>The methods that get the stream at <c>/events</c> (GET by default); any other method but HEAD and OPTIONS gets 405.</summary>
    public IReadOnlyList<string> Methods { get; init; } = StreamMethodsReader.Default;

    /// <summary>Origins whose pages may read the stream from another site, besides the server's <c>--cors-origin</c>.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Answers for particular requests for <c>/events</c>: by number (counted from 1 per <c>client</c> parameter), method or header; the first rule that matches answers.</summary>
    public IReadOnlyList<ScriptedResponse> Responses { get; init; } = [];

    /// <summary>What a client-pack case's client sends: EventSource's own GET unless the case says otherwise.</summary>
    public ClientRequest ClientRequest { get; init; } = ClientRequest.EventSource;

    /// <summary>What the scenario is for (a client-pack case says what it tests).</summary>
    public string? Description { get; init; }

    /// <summary>What a conforming client must observe, for a client-pack case.</summary>
    public ClientExpectation? Expect { get; init; }

    /// <summary>Seconds from the first entry's cycle start to the end of the story.</summary>
    public double Length => Cycle ?? (Timeline.Count == 0 ? 0 : Timeline[^1].At);

    public int EventCount => Timeline.Count(e => e.IsEvent);

    public int DropCount => Timeline.Count(e => e.Kind == EntryKind.Drop);
}
