using SseFlights.Cli;
using SseFlights.Kit;

namespace SseFlights.Tests.Support;

/// <summary><c>sseflights kit</c> in process on a free loopback port, with an HttpClient for it; disposing it shuts the kit down.</summary>
internal sealed class TestKit : IAsyncDisposable
{
    private readonly KitServer _kit;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private TestKit(KitServer kit, int port)
    {
        _kit = kit;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        _run = kit.RunAsync(_stop.Token);
    }

    public int Port { get; }

    public HttpClient Http { get; }

    /// <summary>The page, under the name a browser's tab opens it with.</summary>
    public Uri Page => new($"http://127.0.0.1:{Port}/kit/");

    /// <summary>Starts the bundled pack (or <paramref name="cases"/>) on a free port, another on a clash.</summary>
    public static async Task<TestKit> StartAsync(IReadOnlyList<KitCase>? cases = null, TimeProvider? time = null)
    {
        cases ??= KitPack.LoadBundled();
        var (kit, port) = await FreePort.StartAsync(
            port => Composition.BuildKit(new KitOptions(port, "localhost"), cases, time ?? TimeProvider.System, Serilog.Core.Logger.None),
            kit => kit.Start());
        var started = new TestKit(kit, port);
        await Task.Yield();
        return started;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        await _kit.DisposeAsync();
        Http.Dispose();
        _stop.Dispose();
    }
}
