using SseFlights.Cli;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Packaging;

/// <summary>
/// A published Linux binary, built from a copy of the sources, run from a folder of its own: one
/// file, no warnings from the trimmer, and the whole program working, direct write path included.
/// </summary>
public abstract class PublishedBinaryTests
{
    private SourceTree _tree = null!;
    private string _output = null!;
    private string _log = null!;

    /// <summary>What dotnet publish gets besides the project, the runtime and the output folder.</summary>
    protected abstract string[] PublishOptions { get; }

    private string Executable => Path.Combine(_output, "sseflights");

    [OneTimeSetUp]
    public async Task Publish()
    {
        _tree = SourceTree.Copy(GetType().Name);
        _output = _tree.Folder("publish");
        _log = await DotnetCli.RunAsync(_tree.Root, TimeSpan.FromMinutes(8),
            ["publish", "SseFlights", "-r", "linux-x64", "-o", _output, "--disable-build-servers", .. PublishOptions]);
    }

    [OneTimeTearDown]
    public void Delete() => _tree?.Dispose();

    [Test]
    public void Publish_IsOneExecutableFileAndWarningFree()
    {
        Assert.That(Directory.GetFileSystemEntries(_output).Select(Path.GetFileName), Is.EqualTo(new[] { "sseflights" }));
        Assert.That(_log, Does.Not.Contain("warning"), "trim and AOT warnings mean something the program needs may be gone");
    }

    [Test]
    [CancelAfter(60_000)]
    public Task TutorialScenario_StreamsEveryEventExactlyOnTheDirectWritePathThenAnswers204() => ShippedProgramChecks.TutorialStreamAsync(Executable);

    [Test]
    [CancelAfter(60_000)]
    public Task EveryEndpoint_AnswersAndJsonLogsAreOneObjectPerLine() => ShippedProgramChecks.EveryEndpointWithJsonLogsAsync(Executable);

    [Test]
    [CancelAfter(60_000)]
    public Task CommandLine_ValidatesAndRefusesABadValueInOneLine() => ShippedProgramChecks.CommandLineAsync(Executable);

    [Test]
    [CancelAfter(30_000)]
    public async Task Version_PrintsTheProjectVersionAlone()
    {
        var result = await BuiltProgram.RunExecutableAsync(Executable, "--version");
        Assert.That(result, Is.EqualTo((0, SourceTree.Version + "\n", "")));
    }
}

/// <summary><c>dotnet publish -r linux-x64</c>: a self-contained, trimmed single file.</summary>
[Parallelizable(ParallelScope.All)]
public class SingleFileBinaryTests : PublishedBinaryTests
{
    protected override string[] PublishOptions => [];
}

/// <summary><c>dotnet publish -r linux-x64 -p:PublishAot=true</c>: native code, no JIT at run time.</summary>
[Parallelizable(ParallelScope.All)]
public class NativeAotBinaryTests : PublishedBinaryTests
{
    protected override string[] PublishOptions => ["-p:PublishAot=true"];
}
