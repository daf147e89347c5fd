using SseFlights.Scenario;
using SseFlights.Tests.Browser;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>
/// The npm <c>@microsoft/fetch-event-source</c> package (Azure/fetch-event-source), a client written
/// by others for browsers, under node with a window and document shim
/// (Browser/npm/fetch-event-source-client.mjs), driven as its README tells a client to and as close
/// to the spec as its callbacks allow, plays every case of the client pack against a real server and
/// must observe exactly its expect block or its recorded deviation: every message it hands over, the
/// <c>GET /events</c> it makes (counted by the server) and, where the case is about retry, the
/// reconnection delay it schedules last.
/// </summary>
public class FetchEventSourcePackTests : ClientPackFixture
{
    private static readonly TimeSpan ClientDeadline = TimeSpan.FromSeconds(30);

    private protected override string Client => "fetch-event-source";

    private protected override Task LaunchAsync() => NpmPackages.EnsureInstalledAsync();

    private protected override async Task<IPackClient> LoadClientAsync(ScenarioDefinition scenario, CancellationToken cancellationToken) =>
        await NodePackClient.StartAsync("fetch-event-source-client.mjs", ClientDeadline, cancellationToken);
}
