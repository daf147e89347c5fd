using System.Globalization;
using System.Net;
using KestrelPeer;

// Kestrel peer for the SseFlights benchmark: a minimal API streaming with the framework's own
// TypedResults.ServerSentEvents (SseItem<string> with EventId), fed from a per-client Channel.
//   kestrel-peer --port 20002 --scenario scenario.json [--speed 1] [--host 127.0.0.1] [--retry 3000]
PeerOptions options = PeerOptions.Parse(args);
Timeline timeline = Timeline.Load(options.Scenario);
var hub = new Hub(timeline, TimeSpan.FromMilliseconds(options.RetryMilliseconds));
var player = new TimelinePlayer(timeline, hub, options.Speed);

WebApplicationBuilder builder = WebApplication.CreateBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(options.Host), options.Port));
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, HealthJsonContext.Default));
WebApplication app = builder.Build();

app.MapGet("/events", (HttpContext context) =>
{
    long? resumeAfter = ParseLastEventId(context.Request.Headers["Last-Event-ID"].ToString())
        ?? ParseLastEventId(context.Request.Query["lastEventId"].ToString());
    Subscriber? subscriber = hub.Subscribe(context, resumeAfter);
    if (subscriber is null) return Results.NoContent();
    context.RequestAborted.Register(() => hub.Unsubscribe(subscriber));
    return TypedResults.ServerSentEvents(subscriber.ReadAllAsync(context.RequestAborted));
});

app.MapGet("/healthz", () => TypedResults.Json(
    new Health("ok", hub.Clients, hub.LastEventId, player.StartedAt, options.Speed, hub.Closed),
    HealthJsonContext.Default.Health));

app.MapGet("/api/stats", () => TypedResults.Json(
    new Stats(GC.GetTotalAllocatedBytes(precise: false), [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)]),
    HealthJsonContext.Default.Stats));

using var stopping = new CancellationTokenSource();
app.Lifetime.ApplicationStopping.Register(() =>
{
    stopping.Cancel();
    hub.CompleteAll();
});

await app.StartAsync();
Task playing = player.RunAsync(stopping.Token);
await app.WaitForShutdownAsync();
try
{
    await playing;
}
catch (OperationCanceledException)
{
    // The timeline stops with the server.
}

static long? ParseLastEventId(string raw) =>
    long.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long id) && id >= 0 ? id : null;
