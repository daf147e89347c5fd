namespace SseFlights.Scenario;

/// <summary>Collects every problem in one scenario file, each located by file, line, column and entry path.</summary>
internal sealed class ScenarioErrors(string fileName, JsonPositionIndex positions, string rootName = "the scenario")
{
    private readonly List<(int Line, int Column, string Message)> _found = [];

    public bool Any => _found.Count > 0;

    public int Count => _found.Count;

    /// <summary>Every message, in file order, so they read top to bottom like the file.</summary>
    public IReadOnlyList<string> Messages =>
        [.. _found.OrderBy(f => f.Line).ThenBy(f => f.Column).Select(f => f.Message)];

    /// <summary>Records <paramref name="message"/> against the JSON value at <paramref name="path"/>.</summary>
    public void Add(string path, string message)
    {
        var (line, column) = positions.Locate(path);
        string where = path.Length == 0 ? rootName : path;
        _found.Add((line, column, $"{fileName}:{line}:{column}: {where}: {message}"));
    }
}
