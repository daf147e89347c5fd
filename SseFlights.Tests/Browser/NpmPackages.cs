using System.Diagnostics;
using System.Text.Json;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser;

/// <summary>
/// The tests' own npm packages (Browser/npm/package.json, locked): installed with `npm ci` the first
/// time a test needs them, so a bare `dotnet test` works on a fresh clone. The page never fetches
/// them: browser tests read the files and inject their text with AddInitScript, and the client-pack
/// tests run the eventsource package under node from a script in that folder.
/// </summary>
internal static class NpmPackages
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static string Folder => Path.Combine(Scenarios.RepoRoot, "SseFlights.Tests", "Browser", "npm");

    /// <summary>The text of a file inside node_modules, installing the packages first if they are missing.</summary>
    public static async Task<string> ReadAsync(string pathInNodeModules)
    {
        await EnsureInstalledAsync();
        return await File.ReadAllTextAsync(Path.Combine(Folder, "node_modules", pathInNodeModules));
    }

    /// <summary>Runs `npm ci` unless every package package.json names is already in node_modules.</summary>
    public static async Task EnsureInstalledAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (AllInstalled())
            {
                return;
            }

            var info = new ProcessStartInfo("npm") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string arg in new[] { "ci", "--no-audit", "--no-fund", "--ignore-scripts" })
            {
                info.ArgumentList.Add(arg);
            }

            using var npm = Process.Start(info)!;
            var stdout = npm.StandardOutput.ReadToEndAsync();
            var stderr = npm.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await npm.WaitForExitAsync(cancel.Token);
            Assert.That(npm.ExitCode, Is.EqualTo(0), $"npm ci in {Folder}: {await stdout}{await stderr}");
        }
        finally
        {
            Gate.Release();
        }
    }

    // A node_modules from before a package was added lacks it: checked per package, not by the folder.
    private static bool AllInstalled()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "package.json")));
        return manifest.RootElement.GetProperty("dependencies").EnumerateObject()
            .All(package => File.Exists(Path.Combine(Folder, "node_modules", package.Name, "package.json")));
    }
}
