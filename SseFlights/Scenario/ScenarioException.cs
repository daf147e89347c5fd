namespace SseFlights.Scenario;

/// <summary>A scenario that cannot be used, with every problem found, each a complete one-line message.</summary>
internal sealed class ScenarioException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
