using System.IO.Compression;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Packaging;

/// <summary>
/// dotnet pack makes a .NET tool; dotnet tool install puts the sseflights command on a tool path,
/// and the README's command then works as written.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class ToolPackageTests
{
    private SourceTree _tree = null!;
    private string _command = null!;

    [OneTimeSetUp]
    public async Task PackAndInstall()
    {
        _tree = SourceTree.Copy("tool");
        await DotnetCli.RunAsync(_tree.Root, TimeSpan.FromMinutes(5), "pack", "SseFlights", "--disable-build-servers");

        // Only the package just made: nothing from a feed, so the install works offline and cannot pick up a stranger's sseflights.
        string config = Path.Combine(_tree.Folder("install"), "nuget.config");
        await File.WriteAllTextAsync(config, "<configuration><packageSources><clear /></packageSources></configuration>");
        string tools = _tree.Folder("tools");
        await DotnetCli.RunAsync(_tree.Root, TimeSpan.FromMinutes(2),
            "tool", "install", "--tool-path", tools, "--add-source", "./artifacts", "sseflights", "--configfile", config);
        _command = Path.Combine(tools, "sseflights");
    }

    [OneTimeTearDown]
    public void Delete() => _tree?.Dispose();

    [Test]
    public void Pack_WritesAToolPackageForTheSseflightsCommandIntoArtifacts()
    {
        string package = Path.Combine(_tree.Root, "artifacts", $"sseflights.{SourceTree.Version}.nupkg");
        using var zip = ZipFile.OpenRead(package);
        var settings = zip.Entries.Single(e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        using var reader = new StreamReader(settings.Open());
        Assert.That(reader.ReadToEnd(), Does.Contain("<Command Name=\"sseflights\" EntryPoint=\"sseflights.dll\""));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Version_PrintsTheProjectVersionAlone()
    {
        var result = await BuiltProgram.RunExecutableAsync(_command, "--version");
        Assert.That(result, Is.EqualTo((0, SourceTree.Version + "\n", "")));
    }

    [Test]
    [CancelAfter(60_000)]
    public Task TutorialScenario_StreamsEveryEventExactlyThenAnswers204() => ShippedProgramChecks.TutorialStreamAsync(_command);
}
