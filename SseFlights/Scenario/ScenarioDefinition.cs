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
    /// <summary>Seconds from the first entry's cycle start to the end of the story.</summary>
    public double Length => Cycle ?? (Timeline.Count == 0 ? 0 : Timeline[^1].At);

    public int EventCount => Timeline.Count(e => e.IsEvent);
}
