namespace SseFlights.Cli;

/// <summary>Everything <c>sseflights record</c> was asked for, already validated.</summary>
internal sealed record RecordOptions(
    Uri Url,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? OutputPath,
    double? DurationSeconds,
    int? MaxEvents);
