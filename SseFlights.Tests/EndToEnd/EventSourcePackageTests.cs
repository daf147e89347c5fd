using SseFlights.Scenario;
using SseFlights.Tests.Browser;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>
/// The npm <c>eventsource</c> package (EventSource/eventsource), a client written by others, under
/// node (Browser/npm/eventsource-client.mjs), plays every case of the client pack against a real
/// server and must observe exactly its expect block or its recorded deviation: the events it
/// dispatches, the <c>GET /events</c> it makes (counted by the server) and, where the case is about
/// retry, the reconnection delay it schedules last.
/// </summary>
public class EventSourcePackageTests : ClientPackFixture
{
    private static readonly TimeSpan ClientDeadline = TimeSpan.FromSeconds(30);

    private protected override string Client => "eventsource";

    private protected override bool IsEventSource => true;

    private protected override Task LaunchAsync() => NpmPackages.EnsureInstalledAsync();

    private protected override async Task<IPackClient> LoadClientAsync(ScenarioDefinition scenario, CancellationToken cancellationToken) =>
        await NodePackClient.StartAsync("eventsource-client.mjs", ClientDeadline, cancellationToken);
}
