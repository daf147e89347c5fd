using System.Diagnostics;
using System.Globalization;

namespace SseFlights.Tests.Support;

/// <summary>
/// Replicas as README.md runs them: sseflights processes with one scenario file and one --epoch,
/// each on a free port, and the shipped deploy/nginx/replicas.conf in a real nginx in front of
/// three of them. A replica can be killed, replaced by a fresh process on its own port (a rolling
/// restart), or started late; everything started is stopped by PID on dispose, nginx first.
/// </summary>
internal sealed class ReplicaSet : IAsyncDisposable
{

    private readonly string[] _options;
    private readonly List<ServerProcess> _replicas = [];
    private readonly List<ServerProcess> _retired = [];

    private ReplicaSet(string scenario, DateTimeOffset epoch, string[] options)
    {
        Scenario = scenario;
        Epoch = epoch.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        _options = ["--epoch", Epoch, .. options];
    }

    public static string ReplicasConfigPath => Path.Combine(Scenarios.RepoRoot, "deploy", "nginx", "replicas.conf");

    public string Scenario { get; }

    public string Epoch { get; }

    public IReadOnlyList<ServerProcess> Replicas => _replicas;

    public ServerProcess this[int index] => _replicas[index];

    public NginxProcess? Nginx { get; private set; }

    /// <summary>
    /// Starts <paramref name="count"/> replicas side by side (nothing connects to them until they all
    /// serve) on an epoch in the future, so that they serve the initial board, id 0, for at least
    /// <paramref name="ready"/> before it: the test's time to start nginx and its clients, so it
    /// sees the scenario from its first event. A start slower than that (a loaded machine) is done
    /// again on a later epoch, rather than the test seeing a timeline already half played.
    /// </summary>
    public static async Task<ReplicaSet> StartAsync(string scenario, int count, TimeSpan ready, params string[] options)
    {
        var lead = ready + TimeSpan.FromSeconds(3);
        for (int attempt = 1; ; attempt++)
        {
            var clock = Stopwatch.StartNew();
            var set = new ReplicaSet(scenario, DateTimeOffset.UtcNow + lead, options);
            await set.StartSideBySideAsync(count);
            if (clock.Elapsed + ready <= lead || attempt == 3)
            {
                return set;
            }

            TestContext.Out.WriteLine($"{count} replicas took {clock.ElapsedMilliseconds} ms to start, too close to their epoch; again on a later one");
            await set.DisposeAsync();
            lead = ready + (2 * clock.Elapsed);
        }
    }

    private async Task StartSideBySideAsync(int count) =>
        _replicas.AddRange(await RunningProgram.StartSideBySideAsync(count, () => ServerProcess.StartAsync(Scenario, _options)));

    /// <summary>Another replica on the same epoch, started now: its history is rebuilt from the scenario, as after a late start.</summary>
    public async Task<ServerProcess> StartLateAsync()
    {
        var replica = await ServerProcess.StartAsync(Scenario, _options);
        _replicas.Add(replica);
        return replica;
    }

    /// <summary>
    /// The shipped replicas.conf in nginx, its three server lines pointed at <paramref name="ports"/>
    /// (the first three replicas when none are given), its listen line at a free port. Start it
    /// after the replicas: a connect in the instant a listener starts can fail that start.
    /// </summary>
    public async Task<NginxProcess> StartNginxAsync(params int[] ports)
    {
        int[] upstreams = ports.Length > 0 ? ports : [.. _replicas.Take(3).Select(r => r.Port)];
        Nginx = await NginxProcess.StartAsync(listen => NginxFront.Point(File.ReadAllText(ReplicasConfigPath), listen, upstreams, "replicas.conf"));
        return Nginx;
    }

    /// <summary>
    /// What a rolling restart does to one replica: SIGTERM (it stops accepting, then ends its streams
    /// cleanly, so their clients reconnect through nginx to the others), wait for it to exit 0, then
    /// a fresh process on the same port and epoch. Returns how long the old one took to exit and the new one to serve.
    /// </summary>
    public async Task<(TimeSpan Stopping, TimeSpan Starting)> RestartAsync(int index)
    {
        var old = _replicas[index];
        var clock = Stopwatch.StartNew();
        old.Program.Signal(Signals.Sigterm);
        int code = await old.Program.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.That(code, Is.EqualTo(0), $"replica {index} after SIGTERM exited {code}: {old.Program.Stderr}");
        var stopping = clock.Elapsed;
        _retired.Add(old);
        _replicas[index] = await ServerProcess.StartAsync(Scenario, old.Port, _options);
        return (stopping, clock.Elapsed - stopping);
    }

    /// <summary>SIGKILL: the replica vanishes mid-stream, its connections reset, nothing ends cleanly.</summary>
    public void Kill(int index) => _replicas[index].Program.Signal(Signals.Sigkill);

    /// <summary>The newest id replica <paramref name="index"/> has issued.</summary>
    public async Task<long> NewestIdAsync(int index) => (await _replicas[index].HealthAsync()).GetProperty("lastEventId").GetInt64();

    /// <summary>Streams open on each replica now, by /healthz.</summary>
    public async Task<int[]> StreamsAsync() => await Task.WhenAll(_replicas.Select(r => r.ClientsAsync()));

    public ValueTask DisposeAsync() => NginxFront.StopAsync(Nginx, _replicas.Concat(_retired));
}
