using System.Diagnostics;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser;

/// <summary>
/// The browser tests' own npm packages (Browser/npm/package.json, locked): installed with `npm ci`
/// the first time a test needs them, so a bare `dotnet test` works on a fresh clone. The page never
/// fetches them: tests read the files and inject their text with AddInitScript.
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

    private static async Task EnsureInstalledAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(Folder, "node_modules")))
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
}
