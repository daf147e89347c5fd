using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace SseFlights.Tests.Support;

/// <summary>The built sseflights executable, run as a user would run it, with its output captured.</summary>
internal sealed class BuiltProgram : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private BuiltProgram(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string ExecutablePath => Path.Combine(AppContext.BaseDirectory, "sseflights");

    public int Id => _process.Id;

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    /// <summary>Starts the program in a fresh empty folder, so nothing nearby can help it.</summary>
    public static BuiltProgram Start(params string[] args) =>
        StartExecutable(ExecutablePath, Directory.CreateTempSubdirectory("sseflights-run-").FullName, args);

    /// <summary>Starts another build of the program (an installed tool, a published binary) in the given folder.</summary>
    public static BuiltProgram StartExecutable(string executable, string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        // Through env(1), so SIGINT reaches the program at its default disposition, as from a terminal:
        // a test run started as a shell's background job has SIGINT ignored, every child inherits that
        // (POSIX), and the .NET runtime then leaves it ignored, so a Ctrl-C test could not pass there.
        var info = new ProcessStartInfo("/usr/bin/env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add(executable);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return new BuiltProgram(Process.Start(info)!);
    }

    /// <summary>Runs to the end and returns the exit code with everything printed.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        RunExecutableAsync(ExecutablePath, args);

    /// <summary>Runs another build of the program to the end, in a fresh empty folder.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunExecutableAsync(string executable, params string[] args)
    {
        await using var program = StartExecutable(executable, Directory.CreateTempSubdirectory("sseflights-run-").FullName, args);
        int code = await program.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return (code, program.Stdout, program.Stderr);
    }

    /// <summary>The exit code; a program still running after <paramref name="timeout"/> fails the test with what it printed.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new AssertionException($"The program had not exited after {timeout.TotalSeconds} s.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public Task WaitForOutputAsync(string text, TimeSpan timeout) =>
        Eventually.TrueAsync(() => Stdout.Contains(text, StringComparison.Ordinal) || _process.HasExited, timeout, $"'{text}' on stdout");

    public void Signal(int signal)
    {
        if (!Signals.Send(_process.Id, signal))
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // The whole tree: a program started through a wrapper (dotnet run, a shell) has children that hold its output open.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder sink, string? line)
    {
        if (line is not null)
        {
            lock (sink)
            {
                sink.AppendLine(line);
            }
        }
    }
}
