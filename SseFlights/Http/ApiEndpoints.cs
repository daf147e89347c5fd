using System.Net;
using SseFlights.Http.Listener;
using SseFlights.Hub;
using SseFlights.Sources;
using SseFlights.Metrics;
using SseFlights.Scenario;

namespace SseFlights.Http;

/// <summary>The JSON endpoints: the board for non-SSE clients, the scenario for the page, health for tests and benchmarks.</summary>
internal sealed class ApiEndpoints(EventHub hub, ScenarioDefinition scenario, ScenarioSource player, WritePath writePath, string? scenarioSha256, GcWatch gc, ISourceHealth? live = null)
{
    private readonly byte[] _scenarioInfo = ApiJson.Serialize(new ScenarioInfo(
        scenario.Name, scenario.CustomEvents, scenario.Repeat, scenario.Cycle, scenario.Flights.Count, scenario.Timeline.Count)
    {
        Epoch = player.Epoch?.UtcDateTime,
        Sha256 = scenarioSha256,
    });

    public Task FlightsAsync(HttpListenerContext context, bool headOnly) =>
        Responses.JsonAsync(context.Response, ApiJson.Serialize(Flights(hub.Board())), headOnly);

    public Task ScenarioAsync(HttpListenerContext context, bool headOnly) =>
        Responses.JsonAsync(context.Response, _scenarioInfo, headOnly);

    public Task StatsAsync(HttpListenerContext context, bool headOnly)
    {
        var stats = new ProcessStats(
            GC.GetTotalAllocatedBytes(precise: false),
            [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)],
            GC.GetTotalMemory(forceFullCollection: false),
            ThreadPool.ThreadCount,
            hub.ClientCount,
            writePath == WritePath.Direct ? "direct" : "listener")
        {
            Gen2Reasons = gc.Gen2ByReason,
        };
        return Responses.JsonAsync(context.Response, ApiJson.Serialize(stats), headOnly);
    }

    public Task HealthAsync(HttpListenerContext context, bool headOnly)
    {
        var (lastEventId, closed) = hub.Progress();
        string? failure = hub.Failure;
        var source = live?.Health();
        string status = failure is not null ? "failed" : source?.Condition switch
        {
            SourceCondition.CatchingUp => "catching up",
            SourceCondition.Degraded => "degraded",
            _ => "ok",
        };
        var health = new HealthResponse(
            status, failure, hub.ClientCount, lastEventId, player.StartedAt.UtcDateTime, player.Speed, closed)
        {
            Epoch = player.Epoch?.UtcDateTime,
            ScenarioSha256 = scenarioSha256,
            LogSequence = source?.AppliedSequence,
            LogUnreachableSeconds = source?.LogUnreachableSeconds is { } seconds ? Math.Round(seconds, 1) : null,
        };

        // A supervisor or load balancer checks the status code, not the body. A degraded live replica still serves (200).
        bool serving = failure is null && source?.Condition != SourceCondition.CatchingUp;
        return Responses.JsonAsync(context.Response, ApiJson.Serialize(health), headOnly, serving ? 200 : 503);
    }

    private static FlightsResponse Flights(BoardState board) => new(board.LastEventId, board.Closed, board.Flights);
}
