using System.Diagnostics;
using System.Globalization;
using SseFlights.Bench.Scenario;

namespace SseFlights.Bench.Target;

/// <summary>A server the bench started: its PID (for /proc readings) and port, stopped with
/// SIGTERM on its own PID (SIGKILL after a grace period) when disposed.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>The generator sets this for itself; a server under test runs with the runtime's default.</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    private const int SigTerm = 15;
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Pid => _process.Id;

    public int Port { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    public static ServerProcess Start(ServerLaunch launch, int port)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // `exec` keeps the PID, so /proc readings and the stop signal reach the server itself;
        // the shell only points stdout and stderr at the log file, with no pipe to drain.
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$@\" >>\"$BENCH_SERVER_LOG\" 2>&1");
        info.ArgumentList.Add("sh");
        foreach (string arg in CommandLine(launch, port)) info.ArgumentList.Add(arg);
        info.Environment["BENCH_SERVER_LOG"] = launch.LogPath;
        info.Environment.Remove(InlineCompletionsVariable);
        Process process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {launch.Path}");
        if (launch.PidFile is { } pidFile) File.WriteAllText(pidFile, process.Id.ToString(CultureInfo.InvariantCulture));
        return new ServerProcess(process, port);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                Native.Kill(_process.Id, SigTerm);
                using var grace = new CancellationTokenSource(StopGrace);
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill();
                    await _process.WaitForExitAsync();
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already reaped.
        }
        _process.Dispose();
    }

    private static IEnumerable<string> CommandLine(ServerLaunch launch, int port) =>
        launch.RetryMilliseconds is { } retry
            ? [.. ServerCommandLine(launch, port), "--retry", retry.ToString(CultureInfo.InvariantCulture)]
            : ServerCommandLine(launch, port);

    private static IEnumerable<string> ServerCommandLine(ServerLaunch launch, int port)
    {
        string speed = launch.Speed.ToString(CultureInfo.InvariantCulture);
        string portText = port.ToString(CultureInfo.InvariantCulture);
        if (launch.Kind == ServerKind.Node)
        {
            return ["node", launch.Path, "--port", portText, "--host", "127.0.0.1", "--scenario", launch.Scenario, "--speed", speed];
        }
        if (launch.Kind == ServerKind.Limit)
        {
            string frames = FrameList.EnsureBeside(launch.Scenario);
            return [launch.Path, "--port", portText, "--host", "127.0.0.1", "--frames", frames, "--speed", speed];
        }
        string[] program = launch.Path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ["dotnet", launch.Path] : [launch.Path];
        string[] common = ["--port", portText, "--host", "127.0.0.1", "--scenario", launch.Scenario, "--speed", speed];
        if (launch.Kind == ServerKind.Kestrel) return [.. program, .. common];
        if (launch.NatsUrl is { } nats)
        {
            // A live replica: its events and their timing come from the log.
            common = ["--port", portText, "--host", "127.0.0.1", "--scenario", launch.Scenario, "--nats", nats];
        }
        else if (launch.Epoch is { } epoch)
        {
            common = [.. common, "--epoch", epoch.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)];
        }
        return
        [
            .. program, .. common,
            "--history", launch.History.ToString(CultureInfo.InvariantCulture),
            "--max-clients", launch.MaxClients.ToString(CultureInfo.InvariantCulture),
            "--heartbeat", launch.HeartbeatSeconds.ToString(CultureInfo.InvariantCulture),
            "--log-level", "Warning",
        ];
    }
}
