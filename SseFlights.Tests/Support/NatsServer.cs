using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SseFlights.Tests.Support;

/// <summary>
/// Debian's real <c>nats-server</c> with JetStream on a free loopback port, with its config, store, pid
/// and log in a temp folder of its own, stopped by its PID. It can be stopped and started again on the
/// same store and port: a log server that goes away and comes back with every message it had.
/// </summary>
internal sealed class NatsServer : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/nats-server";

    private readonly string? _user;
    private readonly string? _password;
    private readonly bool _jetStream;
    private Process? _process;

    private NatsServer(string folder, string? user, string? password, bool jetStream)
    {
        Folder = folder;
        (_user, _password, _jetStream) = (user, password, jetStream);
    }

    public string Folder { get; }

    public int Port { get; private set; }

    /// <summary>The URL without credentials.</summary>
    public string Url => $"nats://127.0.0.1:{Port}";

    /// <summary>The URL with the user and password this server requires, if any.</summary>
    public string UrlWithCredentials => _user is null ? Url : $"nats://{_user}:{_password}@127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    public string Log => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    private string LogFile => Path.Combine(Folder, "nats.log");

    /// <summary>
    /// Starts a server (requiring <paramref name="user"/> and <paramref name="password"/> if given; without
    /// JetStream if asked, like a plain NATS server) and waits until it is ready.
    /// </summary>
    public static async Task<NatsServer> StartAsync(string? user = null, string? password = null, bool jetStream = true)
    {
        Assert.That(File.Exists(Executable), Is.True, $"{Executable} is missing: apt-get install nats-server (test.sh does)");
        var server = new NatsServer(Directory.CreateTempSubdirectory("sseflights-nats-").FullName, user, password, jetStream);
        for (int attempt = 1; ; attempt++)
        {
            server.Port = FreePort.Reserve();
            await File.WriteAllTextAsync(Path.Combine(server.Folder, "nats.conf"), server.Config());
            if (await server.LaunchAsync())
            {
                return server;
            }

            // Most likely another process took the port between its reservation and the bind.
            if (!server.Log.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || attempt == 3)
            {
                string log = server.Log;
                await server.DisposeAsync();
                Assert.Fail("nats-server did not start:\n" + log);
            }
        }
    }

    /// <summary>SIGTERM (a clean shutdown that keeps the store), a kill if it lingers.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        await Signals.TerminateAsync(process, TimeSpan.FromSeconds(10));

        process.Dispose();
    }

    /// <summary>Starts the stopped server again on the same port, config and store.</summary>
    public async Task StartAgainAsync()
    {
        Assert.That(_process, Is.Null, "the server is still running");
        Assert.That(await LaunchAsync(), Is.True, $"nats-server did not start again on port {Port}:\n{Log}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private string Config() => $$"""
        # Written by the tests: nothing outside {{Folder}}.
        listen: "127.0.0.1:{{Port}}"
        server_name: "sseflights-test"
        pid_file: "{{Folder}}/nats.pid"
        log_file: "{{LogFile}}"
        {{(_jetStream ? $"jetstream {{ store_dir: \"{Folder}/store\", max_memory_store: 64MB, max_file_store: 256MB }}" : "")}}
        {{(_user is null ? "" : $"authorization {{ user: \"{_user}\", password: \"{_password}\" }}")}}
        """;

    /// <summary>Runs the server and waits for its "ready" line in this start's part of the log; false if it exited first.</summary>
    private async Task<bool> LaunchAsync()
    {
        long logStart = File.Exists(LogFile) ? new FileInfo(LogFile).Length : 0;
        var info = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Path.Combine(Folder, "nats.conf"));
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (Log.Length > logStart && Log[(int)logStart..].Contains("Server is ready", StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(20);
        }

        await StopAsync();
        return false;
    }
}
