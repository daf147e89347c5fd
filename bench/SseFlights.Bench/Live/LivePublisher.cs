using System.Globalization;
using System.Text;
using NATS.Client.Core;
using NATS.Client.JetStream;
using SseFlights.Bench.Load;

namespace SseFlights.Bench.Live;

/// <summary>
/// Publishes a custom event to the replicas' log at a steady rate, on an absolute schedule (message k at
/// start + k / rate, so it never drifts), and notes the moment just before each publish as the due time
/// of its id: the stream is new, so message k gets sequence k, which every replica sends as event id k.
/// Latency is then publish to arrival, on one machine's monotonic clock. A sequence other than k is an error.
/// </summary>
internal sealed class LivePublisher(string natsUrl, string subject, double rate, long[] due) : IAsyncDisposable
{
    private readonly NatsConnection _connection = new(new NatsOpts { Url = natsUrl, Name = "sseflights-bench" });

    public long Published { get; private set; }

    public List<string> Errors { get; } = [];

    /// <summary>Publishes messages 1 to due.Length - 1, the first at <paramref name="start"/> (a Stopwatch timestamp).</summary>
    public async Task RunAsync(long start, CancellationToken ct)
    {
        await _connection.ConnectAsync();
        var jetStream = new NatsJSContext(_connection);
        for (long k = 1; k < due.Length; k++)
        {
            long at = start + WallClock.FromSeconds((k - 1) / rate);
            double wait = WallClock.SecondsBetween(WallClock.Now(), at);
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait), ct);
            Volatile.Write(ref due[k], WallClock.Now());
            byte[] body = Encoding.UTF8.GetBytes($$$"""{"event":"tick","data":{"n":{{{k.ToString(CultureInfo.InvariantCulture)}}}}}""");
            var ack = await jetStream.PublishAsync(subject, body, cancellationToken: ct);
            ack.EnsureSuccess();
            Published = k;
            if ((long)ack.Seq != k)
            {
                Errors.Add($"message {k} was stored as sequence {ack.Seq}: the stream was not new");
                return;
            }
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
