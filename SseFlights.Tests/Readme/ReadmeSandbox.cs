using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Readme;

/// <summary>
/// Where README's commands run as written: a folder with the repository's scenario files, the built
/// program on PATH as <c>sseflights</c>, and curl. Only the ports differ: README's 5000, 5001, 5002 and 4222
/// become free ones (and a server started without <c>--port</c>, on the default 5000, gets the first),
/// so the suite's fixtures can run side by side.
/// </summary>
internal sealed partial class ReadmeSandbox : IAsyncDisposable
{
    private readonly Dictionary<int, int> _ports = [];
    private readonly List<BuiltProgram> _servers = [];

    // The folder where README's "sseflights" is the built program, first on PATH.
    private readonly string _searchPath;

    public ReadmeSandbox()
    {
        Folder = Directory.CreateTempSubdirectory("sseflights-readme-").FullName;
        File.Copy(Path.Combine(Scenarios.RepoRoot, "scenario.json"), Path.Combine(Folder, "scenario.json"));
        string scenarios = Directory.CreateDirectory(Path.Combine(Folder, "scenarios", "clients")).FullName;
        File.Copy(Path.Combine(Scenarios.RepoRoot, "scenarios", "tutorial.json"), Path.Combine(Folder, "scenarios", "tutorial.json"));
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Scenarios.RepoRoot, "scenarios", "clients")))
        {
            File.Copy(file, Path.Combine(scenarios, Path.GetFileName(file)));
        }

        string bin = Directory.CreateDirectory(Path.Combine(Folder, ".bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "sseflights"), BuiltProgram.ExecutablePath);
        _searchPath = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
    }

    public string Folder { get; }


    /// <summary>The free port that stands for README's <paramref name="readmePort"/>.</summary>
    public int Port(int readmePort = 5000)
    {
        if (!_ports.TryGetValue(readmePort, out int port))
        {
            _ports[readmePort] = port = FreePort.Reserve();
        }

        return port;
    }

    /// <summary>README's text with its ports replaced, for a command or for the output it shows.</summary>
    public string Local(string text) => ReadmePort().Replace(text, m => Port(int.Parse(m.Value, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes a file into the sandbox, as README tells the reader to have it.</summary>
    public void Write(string name, string content) => File.WriteAllText(Path.Combine(Folder, name), content);

    public string Read(string name) => File.ReadAllText(Path.Combine(Folder, name));

    /// <summary>Runs <paramref name="command"/> with bash, as written but for its ports, to its end.</summary>
    public async Task<(int Code, string Stdout, string Stderr)> RunAsync(string command, TimeSpan? timeout = null)
    {
        var info = Bash(Local(command));
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"README's command did not end within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds} s: {command}\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a command that does not end by itself (curl -N on a live stream) until <paramref name="done"/> says its output is enough.</summary>
    public async Task<string> ReadUntilAsync(string command, Func<string, bool> done, TimeSpan timeout)
    {
        var info = Bash(Local(command));
        using var process = Process.Start(info)!;
        var output = new System.Text.StringBuilder();
        var reading = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int read;
            while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (output)
                {
                    output.Append(buffer, 0, read);
                }
            }
        });
        try
        {
            await Eventually.TrueAsync(() => { lock (output) { return done(output.ToString()); } }, timeout, $"the output of: {command}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await reading;
        }

        lock (output)
        {
            return output.ToString();
        }
    }

    /// <summary>A bash that takes README's lines one at a time, like one terminal.</summary>
    public ReadmeShell Shell() => new(Bash("bash -s"), Local);

    /// <summary>Starts a server as README's <paramref name="command"/> says (a trailing &amp; is the shell's), and waits until it is ready.</summary>
    public async Task<BuiltProgram> StartServerAsync(string command)
    {
        // A comment README puts after the command is the shell's to drop; the port added below must come before it.
        string local = Local(Regex.Replace(command, @"\s+#.*$", "").TrimEnd().TrimEnd('&').TrimEnd());
        int port = PortOf(local);
        if (!local.Contains("--port", StringComparison.Ordinal))
        {
            local += $" --port {port}";
        }

        var server = BuiltProgram.StartExecutable("/bin/bash", Folder, ["-c", "exec " + local], new Dictionary<string, string> { ["PATH"] = _searchPath });
        _servers.Add(server);
        await Readiness.RequireAsync(server, port);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        Directory.Delete(Folder, recursive: true);
    }

    private int PortOf(string localCommand)
    {
        var port = Regex.Match(localCommand, @"--port (\d+)");
        return port.Success ? int.Parse(port.Groups[1].Value, CultureInfo.InvariantCulture) : Port();
    }

    private ProcessStartInfo Bash(string command)
    {
        var info = new ProcessStartInfo("/bin/bash")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        info.Environment["PATH"] = _searchPath;
        return info;
    }

    // README's ports: the default 5000, the replicas' 5001 and 5002, and NATS's 4222, never part of a longer number.
    [GeneratedRegex(@"(?<![\d.])(500[0-2]|4222)(?!\d)")]
    private static partial Regex ReadmePort();
}
