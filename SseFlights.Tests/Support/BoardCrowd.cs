namespace SseFlights.Tests.Support;

/// <summary>
/// Many <see cref="BoardClient"/>s on one base URL (nginx in front of replicas), each following the
/// stream until it is answered 204 after the close, and the checks every such run must pass.
/// </summary>
internal sealed class BoardCrowd(string baseUrl) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { BaseAddress = new Uri(baseUrl) };
    private readonly List<BoardClient> _clients = [];
    private readonly List<Task> _runs = [];

    public IReadOnlyList<BoardClient> Clients => _clients;

    /// <summary>Reconnects made by all the clients: every connection after each one's first.</summary>
    public int Reconnects => _clients.Sum(c => c.Connections) - _clients.Count(c => c.Connections > 0);

    public int Gaps => _clients.Sum(c => c.Gaps);

    public int Duplicates => _clients.Sum(c => c.Duplicates);

    /// <summary>Starts <paramref name="count"/> more clients, each with no Last-Event-ID, as a page opening.</summary>
    public void Start(int count, CancellationToken cancellationToken)
    {
        for (int i = 0; i < count; i++)
        {
            var client = new BoardClient(_http);
            _clients.Add(client);
            _runs.Add(Task.Run(() => client.RunAsync(() => false, cancellationToken), cancellationToken));
        }
    }

    /// <summary>Waits until every client has been answered 204 (a failed assertion inside a client fails this too).</summary>
    public async Task WhenAllClosedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_runs).WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Say which: a client that got the close twice, say, goes on reconnecting for ever.
            Assert.Fail($"{_runs.Count(r => !r.IsCompleted)} of {_clients.Count} clients were not answered 204 within {timeout.TotalSeconds:0} s; {Figures()}");
        }
    }

    /// <summary>One line of figures for the test's output.</summary>
    public string Figures() => $"clients {_clients.Count}, reconnects {Reconnects}, gaps {Gaps}, duplicates {Duplicates}";

    /// <summary>
    /// Every client saw every id once, in order, from its first to the close (0 gaps, 0 duplicates),
    /// got the close exactly once and last, and holds the scenario's board at its last id.
    /// </summary>
    public void AssertEveryoneWholeAndClosedOnce(string scenario, long closeId)
    {
        var finalBoard = ScenarioBoard.At(scenario, closeId);
        for (int i = 0; i < _clients.Count; i++)
        {
            var client = _clients[i];
            Assert.That((client.Gaps, client.Duplicates), Is.EqualTo((0, 0)), $"client {i}");
            Assert.That(client.Received[^1], Is.EqualTo(("closedConnection", closeId)), $"client {i} gets the close last");
            Assert.That(client.Received.Count(r => r.Type == "closedConnection"), Is.EqualTo(1), $"client {i} gets the close once");
            Assert.That(client.Board, Is.EqualTo(finalBoard), $"client {i} ends on the scenario's board at {closeId}");
        }
    }

    public void Dispose() => _http.Dispose();
}
