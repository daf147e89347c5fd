using SseFlights.Scenario;

namespace SseFlights.Tests.Support;

/// <summary>
/// Plays every case of the client pack with one client, each against its own real server on a free
/// port, and checks with <see cref="PackAssert"/> that the client observes exactly the case's expect
/// or its recorded deviation. A fixture only says how to load its client (<see cref="LoadClientAsync"/>):
/// a new case runs against every client with no code of its own.
/// </summary>
/// <remarks>
/// A case mostly waits (for its timeline, then the client's 3 s reconnection time), so every case is
/// started in the fixture's setup and runs beside up to <see cref="AtOnce"/> - 1 others, and each test
/// awaits its own: the fixture takes about as long as its slowest few cases, not the sum of them. Only
/// their starts take turns (see <see cref="PlayOnceAsync"/>).
/// </remarks>
public abstract class ClientPackFixture
{
    /// <summary>How many runs a case gets before a client that keeps asking too late makes it inconclusive.</summary>
    private const int Attempts = 5;

    /// <summary>How long a client may take to make its first request; a run that asks after the case's first entry is played again.</summary>
    private static readonly TimeSpan FirstRequestDeadline = TimeSpan.FromSeconds(20);

    /// <summary>The latest first request that still sees the whole case: its first entry is at 1 s.</summary>
    private static readonly TimeSpan LatestFirstRequest = TimeSpan.FromSeconds(0.9);

    // Each case's run, started in the setup and awaited by its test.
    private readonly Dictionary<string, Task<CaseRun>> _runs = [];

    // Stops the runs still going when the fixture ends.
    private readonly CancellationTokenSource _stop = new();

    // Lets one case at a time through its start (see PlayOnceAsync).
    private readonly SemaphoreSlim _starting = new(1, 1);

    // Bounds the cases playing at once to AtOnce (made in the setup, where AtOnce can be read).
    private SemaphoreSlim? _slots;

    /// <summary>The client's name: its key in a case's deviations, and its stream URL's <c>client</c> value.</summary>
    private protected abstract string Client { get; }

    /// <summary>How many cases play side by side: each mostly waits on timers, so eight keep two cores far from busy.</summary>
    private protected virtual int AtOnce => 8;

    /// <summary>False for a client that makes no requests of its own (a bare parser): its requests are not counted.</summary>
    private protected virtual bool MakesItsOwnRequests => true;

    /// <summary>True for an EventSource, which sends only its own GET (WHATWG HTML §9.2.2 builds the request itself).</summary>
    private protected virtual bool IsEventSource => false;

    /// <summary>The token of each case's control API, through which the harness reads the server's request log.</summary>
    private const string ControlToken = "pack";

    private static IEnumerable<string> Cases() => ClientPack.Cases();

    /// <summary>Why this client cannot play <paramref name="scenario"/> at all, or null when it plays it.</summary>
    private protected virtual string? WhyNotPlayed(ScenarioDefinition scenario) =>
        IsEventSource && !scenario.ClientRequest.EventSourceCanSend ? EventSourceCannotSend(scenario.ClientRequest) : null;

    /// <summary>Why an EventSource does not play a case whose client sends <paramref name="request"/>.</summary>
    internal static string EventSourceCannotSend(ClientRequest request) =>
        $"EventSource can only GET, with no body and no header of the page's own; the case sends a {request.Method}{(request.Body is null ? "" : " with a body")}{(request.Headers.Count == 0 ? "" : " with headers")}";

    /// <summary>Starts what every case shares (a browser), before any case starts.</summary>
    private protected virtual Task LaunchAsync() => Task.CompletedTask;

    /// <summary>Stops what <see cref="LaunchAsync"/> started, after every case has ended.</summary>
    private protected virtual ValueTask CloseAsync() => ValueTask.CompletedTask;

    /// <summary>Loads a client for one run of <paramref name="scenario"/>, before its server starts.</summary>
    private protected abstract Task<IPackClient> LoadClientAsync(ScenarioDefinition scenario, CancellationToken cancellationToken);

    [OneTimeSetUp]
    public async Task StartEveryCaseAsync()
    {
        _slots = new SemaphoreSlim(AtOnce);
        await LaunchAsync();
        foreach (string name in Cases())
        {
            var scenario = ClientPack.Load(name);
            if (WhyNotPlayed(scenario) is null)
            {
                _runs[name] = PlayAsync(scenario, _stop.Token);
            }
        }
    }

    [OneTimeTearDown]
    public async Task StopEveryCaseAsync()
    {
        await _stop.CancelAsync();
        // Each run's outcome went to its test; here only that no client or server outlives the fixture.
        await ((Task)Task.WhenAll(_runs.Values)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await CloseAsync();
        _slots?.Dispose();
        _starting.Dispose();
        _stop.Dispose();
    }

    [TestCaseSource(nameof(Cases))]
    [CancelAfter(120_000)]
    public async Task Case_ObservesExactlyItsExpectOrItsRecordedDeviation(string name, CancellationToken cancellationToken)
    {
        var scenario = ClientPack.Load(name);
        if (WhyNotPlayed(scenario) is { } why)
        {
            Assert.That(scenario.Expect!.Deviations.ContainsKey(Client), Is.False, $"the case records a deviation for {Client}, which does not play it, so nothing checks it");
            Assert.Ignore(why);
        }

        var run = await _runs[name].WaitAsync(cancellationToken);
        TestContext.Out.WriteLine($"run {run.Attempt} of at most {Attempts}: first request {run.FirstRequestAfter.TotalMilliseconds:0} ms after the server started; requests for the stream by client: {run.RequestsByClient}");
        foreach (var request in run.RequestLog)
        {
            TestContext.Out.WriteLine($"  {request.Method} after {request.SincePreviousMs?.ToString("0") ?? "-"} ms: {string.Join(", ", request.Headers.Select(h => $"{h.Key}: {h.Value}"))}{(request.Body is null ? "" : $"; body {request.Body}")}");
        }
        if (run.Report is not { } report)
        {
            Assert.Inconclusive($"{Client} asked after the case's first entry in all {Attempts} runs (last {run.FirstRequestAfter.TotalSeconds:0.00} s in); the machine is too loaded to run this case");
            return;
        }

        TestContext.Out.WriteLine($"{Client}: {report.Notes}{Environment.NewLine}the server's log:{Environment.NewLine}{run.ServerLog}");
        ObservationFile.WriteIfAsked(Client, name, report, run.RequestLog);
        Assert.That(report.Stopped, Is.True, $"{Client} had not stopped by its deadline; it dispatched {report.Events.Count} events over {run.Requests} requests");
        PackAssert.ObservesExactly(scenario.Expect!, Client, new ClientObservation(report.Events, MakesItsOwnRequests ? run.Requests : null, report.Retry, MakesItsOwnRequests ? run.RequestLog : null));
    }

    private async Task<CaseRun> PlayAsync(ScenarioDefinition scenario, CancellationToken cancellationToken)
    {
        await _slots!.WaitAsync(cancellationToken);
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                var run = await PlayOnceAsync(scenario, cancellationToken);
                if (run.Report is not null || attempt == Attempts)
                {
                    return run with { Attempt = attempt };
                }
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>One run of the case; a run whose first request came after the first entry has no report (it is cut short).</summary>
    private async Task<CaseRun> PlayOnceAsync(ScenarioDefinition scenario, CancellationToken cancellationToken)
    {
        IPackClient? client = null;
        TestServer? server = null;
        Task<ClientReport>? play = null;
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var requests = new StreamRequests();
            TimeSpan firstAfter;

            // One case at a time from loading its client to its first request: the second between a
            // server's start and its case's first entry is the only time a case must not wait for the
            // machine, and another case's start (a browser page, a node process) is most of what it waits for.
            await _starting.WaitAsync(cancellationToken);
            try
            {
                client = await LoadClientAsync(scenario, cancellationToken);
                server = await TestServer.StartAsync(scenario, log: requests.Logger, configure: o => o with { Control = true, ControlToken = ControlToken });
                var startedAt = (await server.GetJsonAsync("healthz")).GetProperty("startedAt").GetDateTimeOffset();
                play = client.PlayAsync(new Uri($"http://127.0.0.1:{server.Port}/events?client={Client}"), scenario.ClientRequest, cut.Token);
                var first = requests.FirstAsync(FirstRequestDeadline, cancellationToken);
                if (await Task.WhenAny(first, play) == play && play.IsFaulted)
                {
                    await play;
                }

                firstAfter = await first - startedAt;
            }
            finally
            {
                _starting.Release();
            }

            // A client that first asked after the first entry (a loaded machine) cannot run the case (and in
            // a case that ends without a close it would wait forever): stop it here and try again.
            if (firstAfter > LatestFirstRequest)
            {
                await cut.CancelAsync();
                await ((Task)play).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                return new CaseRun(null, requests.Count, [], requests.ByClient, firstAfter, requests.Log);
            }

            var report = await play;
            var log = await ObservedRequest.ReadLogAsync(server.Http, ControlToken);
            return new CaseRun(report, log.Count, log, requests.ByClient, firstAfter, requests.Log);
        }
        finally
        {
            // On a failure the client may still be playing: it is stopped, and its outcome (if any) is the failure's.
            await cut.CancelAsync();
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            if (client is not null)
            {
                await client.DisposeAsync();
            }

            if (play is not null)
            {
                await ((Task)play).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <param name="Report">What the client did; null for a run that asked too late.</param>
    /// <param name="FirstRequestAfter">How long after the server started the client first asked.</param>
    /// <param name="Attempt">Which run of the case this was (the earlier ones asked too late).</param>
    /// <param name="Requests">How many requests for /events the server's log holds, of every client key.</param>
    /// <param name="RequestLog">Those requests, oldest first.</param>
    private sealed record CaseRun(ClientReport? Report, int Requests, IReadOnlyList<ObservedRequest> RequestLog, string RequestsByClient, TimeSpan FirstRequestAfter, string ServerLog, int Attempt = 1);
}
