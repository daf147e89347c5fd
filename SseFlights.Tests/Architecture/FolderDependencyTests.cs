using System.Text.RegularExpressions;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Architecture;

/// <summary>
/// The product's folders depend on each other one way only: sources → hub → delivery → wire, with the
/// model below and the command line, the metrics and the composition root above. Read from the code's
/// own <c>using</c>s and qualified names, so a cycle fails here before it grows.
/// </summary>
public partial class FolderDependencyTests
{
    private static readonly string Product = Path.Combine(Scenarios.RepoRoot, "SseFlights");

    [Test]
    public void Folders_HaveNoDependencyCycle()
    {
        var graph = Graph();

        var cycles = graph.Keys.Select(folder => CycleFrom(folder, graph)).Where(c => c is not null).Select(c => string.Join(" -> ", c!)).Distinct().ToList();

        Assert.That(cycles, Is.Empty, "folders that depend on each other, with " + string.Join("; ", graph.Select(g => $"{g.Key} -> {string.Join(", ", g.Value)}")));
    }

    [Test]
    public void TheDataPath_DependsOnlyDownstream()
    {
        var graph = Graph();

        // Delivery knows nothing of the hub, the hub nothing of its sources, neither anything of HTTP or the metrics.
        Assert.That(graph["Delivery"], Has.None.AnyOf("Hub", "Sources", "Http", "Metrics", "Cli", "Nats"));
        Assert.That(graph["Hub"], Has.None.AnyOf("Sources", "Http", "Metrics", "Cli", "Nats"));
        Assert.That(graph["Sources"], Has.None.AnyOf("Http", "Metrics", "Cli", "Nats"));
        Assert.That(graph["Cli"], Has.None.AnyOf("Http", "Hub", "Delivery", "Sources", "Record", "Nats"));
    }

    /// <summary>Each top-level folder of the product and the other folders its files name.</summary>
    private static Dictionary<string, SortedSet<string>> Graph()
    {
        var folders = Directory.GetDirectories(Product).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToHashSet()!;
        var graph = folders.ToDictionary(f => f!, _ => new SortedSet<string>());
        foreach (string folder in folders!)
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(Product, folder!), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match named in Named().Matches(File.ReadAllText(file)))
                {
                    string target = named.Groups[1].Value;
                    if (target != folder && folders.Contains(target))
                    {
                        graph[folder!].Add(target);
                    }
                }
            }
        }

        return graph;
    }

    private static List<string>? CycleFrom(string start, Dictionary<string, SortedSet<string>> graph)
    {
        var path = new List<string> { start };
        return Walk(start, path, graph, start);

        static List<string>? Walk(string at, List<string> path, Dictionary<string, SortedSet<string>> graph, string start)
        {
            foreach (string next in graph[at])
            {
                if (next == start)
                {
                    return [.. path, next];
                }

                if (!path.Contains(next) && Walk(next, [.. path, next], graph, start) is { } found)
                {
                    return found;
                }
            }

            return null;
        }
    }

    // "using SseFlights.Hub;" or a qualified "SseFlights.Hub.EventHub".
    [GeneratedRegex(@"\bSseFlights\.(\w+)[;.]")]
    private static partial Regex Named();
}
