namespace SseFlights.Tests.Support;

/// <summary>
/// Live replicas as README runs them: the built program with one scenario file and one <c>--nats</c>
/// log, each on a free port, and the shipped deploy/nginx/replicas-live.conf in a real nginx in front
/// of the first three. A replica can be killed and replaced on its port, or one started late beside
/// them; everything started is stopped by PID on dispose, nginx first.
/// </summary>
internal sealed class LiveReplicaSet(string scenario, string natsUrl, string[] options) : IAsyncDisposable
{
    private readonly List<LiveReplica> _replicas = [];
    private readonly List<LiveReplica> _retired = [];

    public static string ConfigPath => Path.Combine(Scenarios.RepoRoot, "deploy", "nginx", "replicas-live.conf");

    public IReadOnlyList<LiveReplica> Replicas => _replicas;

    public LiveReplica this[int index] => _replicas[index];

    public NginxProcess? Nginx { get; private set; }

    /// <summary>Starts <paramref name="count"/> replicas side by side and waits until each serves (caught up).</summary>
    public async Task StartAsync(int count) =>
        _replicas.AddRange(await RunningProgram.StartSideBySideAsync(count, () => LiveReplica.StartAsync(scenario, natsUrl, options: options)));

    /// <summary>The shipped replicas-live.conf in nginx, its three server lines pointed at the first three replicas.</summary>
    public async Task<NginxProcess> StartNginxAsync()
    {
        int[] ports = [.. _replicas.Take(3).Select(r => r.Port)];
        Nginx = await NginxProcess.StartAsync(listen => NginxFront.Point(File.ReadAllText(ConfigPath), listen, ports, "replicas-live.conf"));
        return Nginx;
    }

    /// <summary>SIGKILL: the replica vanishes mid-stream; nothing ends cleanly.</summary>
    public void Kill(int index) => _replicas[index].Program.Signal(Signals.Sigkill);

    /// <summary>A fresh process on the killed replica's port, started now (it catches up with the log before it serves).</summary>
    public async Task<LiveReplica> ReplaceAsync(int index)
    {
        var old = _replicas[index];
        await old.Program.WaitForExitAsync(TimeSpan.FromSeconds(10));
        _retired.Add(old);
        _replicas[index] = await LiveReplica.StartAsync(scenario, natsUrl, old.Port, ready: true, options);
        return _replicas[index];
    }

    /// <summary>Another replica, outside nginx, started now.</summary>
    public async Task<LiveReplica> StartLateAsync()
    {
        var replica = await LiveReplica.StartAsync(scenario, natsUrl, options: options);
        _replicas.Add(replica);
        return replica;
    }

    public ValueTask DisposeAsync() => NginxFront.StopAsync(Nginx, _replicas.Concat(_retired));
}
