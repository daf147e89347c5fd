namespace SseFlights.Sources;

/// <summary>Where the timeline stands, for GET /api/control.</summary>
internal sealed record PlaybackState(
    bool Paused,
    double ScenarioSeconds,
    long Cycle,
    int? NextEntry,
    double? NextAt,
    double? NextInSeconds);
