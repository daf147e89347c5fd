namespace SseFlights.Scenario;

/// <summary>Collects every problem in one scenario file, each located by file, line, column and entry path.</summary>
internal sealed class ScenarioErrors(string fileName, JsonPositionIndex positions)
{
    private readonly List<string> _messages = [];

    public bool Any => _messages.Count > 0;

    public IReadOnlyList<string> Messages => _messages;

    /// <summary>Records <paramref name="message"/> against the JSON value at <paramref name="path"/>.</summary>
    public void Add(string path, string message)
    {
        var (line, column) = positions.Locate(path);
        string where = path.Length == 0 ? "the scenario" : path;
        _messages.Add($"{fileName}:{line}:{column}: {where}: {message}");
    }
}
