using System.Diagnostics;
using SseFlights.Bench.Target;

namespace SseFlights.Bench.Live;

/// <summary>
/// Debian's nats-server with JetStream on a free loopback port, its config, store and log in a folder of
/// the run's, stopped with SIGTERM on its own PID (SIGKILL after a grace period).
/// </summary>
internal sealed class NatsServerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;

    private NatsServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    /// <summary>Starts <paramref name="executable"/> with a store in <paramref name="folder"/> (its PID in <paramref name="pidFile"/>, if given) and waits for its "Server is ready" line.</summary>
    public static async Task<NatsServerProcess> StartAsync(string executable, string folder, string? pidFile, CancellationToken ct)
    {
        int port = PortPicker.Pick();
        string log = Path.Combine(folder, "nats.log");
        string config = Path.Combine(folder, "nats.conf");
        await File.WriteAllTextAsync(config, $$"""
            listen: "127.0.0.1:{{port}}"
            log_file: "{{log}}"
            jetstream { store_dir: "{{Path.Combine(folder, "store")}}", max_memory_store: 256MB, max_file_store: 1GB }
            """, ct);
        var info = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = false, RedirectStandardError = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(config);
        var server = new NatsServerProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}"), port);
        if (pidFile is not null) await File.WriteAllTextAsync(pidFile, server._process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        var deadline = Stopwatch.StartNew();
        while (!(File.Exists(log) && (await File.ReadAllTextAsync(log, ct)).Contains("Server is ready", StringComparison.Ordinal)))
        {
            if (server._process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"nats-server did not start (see {log})");
            }

            await Task.Delay(50, ct);
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Native.Kill(_process.Id, SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
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

        _process.Dispose();
    }
}
