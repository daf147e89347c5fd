using System.Xml.Linq;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Packaging;

/// <summary>
/// A private copy of the program's sources in a temp folder, so a pack or publish never writes into
/// the repository (nor races the suite's own build over SseFlights/obj) and can be deleted whole.
/// </summary>
internal sealed class SourceTree : IDisposable
{
    private static readonly string[] RootFiles =
        ["scenario.json", "README.md", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "nuget.config", "NuGet.config"];

    private SourceTree(string root) => Root = root;

    public string Root { get; }

    public string Project => Path.Combine(Root, "SseFlights", "SseFlights.csproj");

    /// <summary>The version as the project file states it, the one place it lives.</summary>
    public static string Version =>
        XDocument.Load(Path.Combine(Scenarios.RepoRoot, "SseFlights", "SseFlights.csproj")).Descendants("Version").Single().Value;

    public static SourceTree Copy(string purpose)
    {
        var tree = new SourceTree(Directory.CreateTempSubdirectory($"sseflights-{purpose}-").FullName);
        CopyFolder(Path.Combine(Scenarios.RepoRoot, "SseFlights"), Path.Combine(tree.Root, "SseFlights"));
        CopyFolder(Path.Combine(Scenarios.RepoRoot, "wwwroot"), Path.Combine(tree.Root, "wwwroot"));
        foreach (string name in RootFiles.Where(n => File.Exists(Path.Combine(Scenarios.RepoRoot, n))))
        {
            File.Copy(Path.Combine(Scenarios.RepoRoot, name), Path.Combine(tree.Root, name));
        }

        return tree;
    }

    /// <summary>A fresh folder inside the copy, for outputs.</summary>
    public string Folder(string name) => Directory.CreateDirectory(Path.Combine(Root, "out", name)).FullName;

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        // Build outputs stay behind: the copy builds from its sources alone.
        foreach (string folder in Directory.EnumerateDirectories(from).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
        {
            CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }
}
