using System.Diagnostics;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Packaging;

/// <summary>Runs the .NET CLI as a user would, with no build servers left behind and nothing from the test host's MSBuild.</summary>
internal static class DotnetCli
{
    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="folder"/>, fails the test unless it exits 0, and returns what it printed.</summary>
    public static async Task<string> RunAsync(string folder, TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { WorkingDirectory = folder };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // dotnet test passes its own MSBuild settings down; a nested build must start from a clean slate.
        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        var (code, output) = await ChildProcess.RunAsync(info, timeout);
        Assert.That(code, Is.EqualTo(0), $"dotnet {string.Join(' ', args)}:\n{output}");
        return output;
    }
}
