using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Cli;
using SseFlights.Http;
using SseFlights.Http.Listener;
using SseFlights.Scenario;

namespace SseFlights.Tests.Support;

/// <summary>The real server, built by the real composition root, on a free loopback port.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SseFlightsServer _server;
    private readonly Task<ServerExit> _run;

    private TestServer(SseFlightsServer server, int port)
    {
        _server = server;
        Port = port;
        BaseUrl = $"http://localhost:{port}/";
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        _run = server.RunAsync(_stop.Token);
    }

    public int Port { get; }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    public Task? Timeline => _server.Timeline;

    /// <summary>The server's run, which ends with how it stopped.</summary>
    public Task<ServerExit> Run => _run;

    public static Task<TestServer> StartAsync(string scenarioJson, TimeProvider? time = null, Func<ServerOptions, ServerOptions>? configure = null, IFileSource? files = null, WritePath writePath = WritePath.Direct) =>
        StartAsync(ScenarioLoader.Parse(Encoding.UTF8.GetBytes(scenarioJson), "test.json"), time, configure, files, writePath: writePath);

    /// <summary>
    /// The bundled defaults on <paramref name="port"/>. On a fake clock the heartbeat (and with it
    /// the write-stall limit, which is measured on that clock) is an hour: a test's jump of the clock
    /// is instant, so a jump wider than the limit while a real write is still in flight would cut a
    /// healthy stream as stuck. A test of heartbeats or stalls sets its own and keeps its jumps below it.
    /// </summary>
    private static ServerOptions BaseOptions(int port, TimeProvider? time) =>
        time is FakeTimeProvider
            ? ServerOptions.Defaults with { Port = port, HeartbeatSeconds = 3600 }
            : ServerOptions.Defaults with { Port = port };

    /// <param name="log">The server's logger (none by default), e.g. a <see cref="StreamRequests"/>'s to count requests.</param>
    /// <param name="writePath">The write path streams are asked to use (the SSEFLIGHTS_WRITE_PATH switch).</param>
    public static async Task<TestServer> StartAsync(ScenarioDefinition scenario, TimeProvider? time = null, Func<ServerOptions, ServerOptions>? configure = null, IFileSource? files = null, Serilog.ILogger? log = null, WritePath writePath = WritePath.Direct)
    {
        var (server, port) = await FreePort.StartAsync(
            port => Composition.BuildServer((configure ?? (o => o))(BaseOptions(port, time)), scenario, files ?? new EmbeddedFileSource(), time ?? TimeProvider.System, log ?? Serilog.Core.Logger.None, internals: ListenerInternals.Probe(writePath)),
            server => server.Start());
        var started = new TestServer(server, port);
        await Task.Yield();
        return started;
    }

    /// <summary>The bundled defaults on <paramref name="port"/>, with no retry on another port: a start that fails fails the test.</summary>
    public static async Task<TestServer> StartOnPortAsync(string scenarioJson, int port)
    {
        var scenario = ScenarioLoader.Parse(Encoding.UTF8.GetBytes(scenarioJson), "test.json");
        var server = Composition.BuildServer(BaseOptions(port, null), scenario, new EmbeddedFileSource(), TimeProvider.System, Serilog.Core.Logger.None);
        server.Start();
        var started = new TestServer(server, port);
        await Task.Yield();
        return started;
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Opens <paramref name="count"/> streams, each read up to its first event, so all are surely open.</summary>
    public async Task<List<SseConnection>> OpenStreamsAsync(int count)
    {
        var streams = new List<SseConnection>();
        for (int i = 0; i < count; i++)
        {
            streams.Add(await SseConnection.OpenAsync(Http));
            await streams[^1].NextAsync();
        }

        return streams;
    }

    public async Task<int> ClientsAsync() => (await GetJsonAsync("healthz")).GetProperty("clients").GetInt32();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        await _server.DisposeAsync();
        Http.Dispose();
        _stop.Dispose();
    }
}

/// <summary>HttpListener cannot bind port 0: reserve a free port from the kernel, release it, and use it.</summary>
internal static class FreePort
{
    /// <summary>Builds something on a free port and starts it, on another port if another process took this one between our reservation and the bind.</summary>
    public static async Task<(T Started, int Port)> StartAsync<T>(Func<int, T> build, Action<T> start)
        where T : IAsyncDisposable
    {
        for (int attempt = 1; ; attempt++)
        {
            int port = Reserve();
            var built = build(port);
            try
            {
                start(built);
                return (built, port);
            }
            catch (ServerStartException) when (attempt < 5)
            {
                await built.DisposeAsync();
            }
        }
    }

    public static int Reserve()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
