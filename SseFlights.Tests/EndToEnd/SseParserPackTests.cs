using System.Net.ServerSentEvents;
using SseFlights.Scenario;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>
/// .NET's <see cref="SseParser"/>, a parser written by others, reads each case of the client pack that
/// is about parsing one stream (no drop, no scripted answer) and must observe exactly its expected
/// events or its recorded deviation, and where the case is about retry, the reconnection interval it
/// parsed. A parser makes no requests of its own (the test makes one GET), so requests are not counted.
/// </summary>
public class SseParserPackTests : ClientPackFixture
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private protected override string Client => "dotnet";

    private protected override bool MakesItsOwnRequests => false;

    /// <summary>Whether a case is about parsing one stream (no drop, no scripted answer), so that a parser alone sees all of it.</summary>
    internal static bool Plays(ScenarioDefinition scenario) => scenario.Responses.Count == 0 && scenario.DropCount == 0 && scenario.ClientRequest == ClientRequest.EventSource;

    private protected override string? WhyNotPlayed(ScenarioDefinition scenario) =>
        Plays(scenario) ? null : "about reconnection or the request, not parsing: SseParser reads one GET's stream and does not reconnect";

    private protected override Task<IPackClient> LoadClientAsync(ScenarioDefinition scenario, CancellationToken cancellationToken) =>
        Task.FromResult<IPackClient>(new Parser());

    /// <summary>One GET read to its end by a fresh SseParser; the stream's end is where a parser stops.</summary>
    private sealed class Parser : IPackClient
    {
        public async Task<ClientReport> PlayAsync(Uri stream, ClientRequest request, CancellationToken cancellationToken)
        {
            await using var body = await Http.GetStreamAsync(stream, cancellationToken);
            var parser = SseParser.Create(body);
            var seen = new List<ExpectedEvent>();
            await foreach (var item in parser.EnumerateAsync(cancellationToken))
            {
                seen.Add(new ExpectedEvent(item.EventType, item.Data, parser.LastEventId));
            }

            // InfiniteTimeSpan (negative) until a retry: field has set it.
            var interval = parser.ReconnectionInterval;
            return new ClientReport(seen, interval >= TimeSpan.Zero ? RetryReading.Read(interval.TotalMilliseconds) : null, true, $"the stream ended after {seen.Count} events");
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
