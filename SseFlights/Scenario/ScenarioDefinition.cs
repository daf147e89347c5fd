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

    /// <summary>Answers for particular <c>GET /events</c>, by request number counted from 1 per <c>client</c> parameter.</summary>
    public IReadOnlyDictionary<int, ResponseRule> Responses { get; init; } = new Dictionary<int, ResponseRule>();

    /// <summary>What the scenario is for (a client-pack case says what it tests).</summary>
    public string? Description { get; init; }

    /// <summary>What a conforming client must observe, for a client-pack case.</summary>
    public ClientExpectation? Expect { get; init; }

    /// <summary>Seconds from the first entry's cycle start to the end of the story.</summary>
    public double Length => Cycle ?? (Timeline.Count == 0 ? 0 : Timeline[^1].At);

    public int EventCount => Timeline.Count(e => e.IsEvent);

    public int DropCount => Timeline.Count(e => e.Kind == EntryKind.Drop);
}
