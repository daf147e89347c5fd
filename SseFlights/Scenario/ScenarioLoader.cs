using System.Globalization;
using System.Text.Json;

namespace SseFlights.Scenario;

/// <summary>Reads a scenario from a file or from the copy bundled in the executable, and validates it once.</summary>
internal static class ScenarioLoader
{
    public const long MaxFileBytes = 10 * 1024 * 1024;
    public const string BundledName = "scenario.json (bundled)";

    /// <summary>Loads and validates <paramref name="path"/>; throws <see cref="ScenarioException"/> with every problem.</summary>
    public static ScenarioDefinition LoadFile(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (Directory.Exists(path))
            {
                throw Fail(path, "is a directory, not a scenario file");
            }

            if (!info.Exists)
            {
                throw Fail(path, "file not found");
            }

            if (info.Length > MaxFileBytes)
            {
                throw Fail(path, $"the file is {Mebibytes(info.Length)} MiB; a scenario file may be at most 10 MiB");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Fail(path, $"cannot read the file: {ex.Message}");
        }

        return Parse(bytes, path);
    }

    /// <summary>The scenario.json that ships inside the executable.</summary>
    public static ScenarioDefinition LoadBundled()
    {
        using var stream = typeof(ScenarioLoader).Assembly.GetManifestResourceStream("bundled/scenario.json")
            ?? throw Fail(BundledName, "missing from this build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Parse(copy.ToArray(), BundledName);
    }

    public static ScenarioDefinition Parse(byte[] utf8, string fileName)
    {
        if (utf8.Length > MaxFileBytes)
        {
            throw Fail(fileName, $"the file is {Mebibytes(utf8.Length)} MiB; a scenario file may be at most 10 MiB");
        }

        // A UTF-8 byte order mark is harmless; editors on some systems add one.
        if (utf8.AsSpan().StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        JsonPositionIndex positions;
        JsonDocument document;
        try
        {
            positions = JsonPositionIndex.Build(utf8);
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException ex)
        {
            long line = (ex.LineNumber ?? 0) + 1;
            long column = (ex.BytePositionInLine ?? 0) + 1;
            throw new ScenarioException([$"{fileName}:{line}:{column}: malformed JSON: {ReaderMessage(ex.Message)}"]);
        }

        using (document)
        {
            var errors = new ScenarioErrors(fileName, positions);
            foreach (string duplicate in positions.Duplicates)
            {
                errors.Add(duplicate, $"property '{duplicate[(duplicate.LastIndexOf('.') + 1)..]}' appears twice; keep one");
            }

            var scenario = new ScenarioReader(new JsonChecks(errors)).Read(document.RootElement);
            if (scenario is not null)
            {
                new ScenarioValidator(errors).Validate(scenario);
            }

            if (errors.Any || scenario is null)
            {
                throw new ScenarioException(errors.Messages);
            }

            return scenario;
        }
    }

    private static ScenarioException Fail(string fileName, string message) => new([$"{fileName}: {message}"]);

    private static string Mebibytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>The reader's own sentence, without the position it appends (we print ours first).</summary>
    private static string ReaderMessage(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}
