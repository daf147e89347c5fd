using System.Diagnostics;

namespace SseFlights.Tests.Packaging;

/// <summary>Runs the .NET CLI as a user would, with no build servers left behind and nothing from the test host's MSBuild.</summary>
internal static class DotnetCli
{
    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="folder"/>, fails the test unless it exits 0, and returns what it printed.</summary>
    public static async Task<string> RunAsync(string folder, TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
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

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', args)} took over {timeout.TotalSeconds:0} s:\n{await stdout}{await stderr}");
        }

        string output = await stdout + await stderr;
        Assert.That(process.ExitCode, Is.EqualTo(0), $"dotnet {string.Join(' ', args)}:\n{output}");
        return output;
    }
}
