using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SseFlights.Tests.Support;

/// <summary>
/// Connection attempts to a loopback port at a steady rate, as browsers on a retry hammer a board
/// being restarted: each connects (or is refused, while nothing listens) and closes at once. Several
/// loops share the rate, so one slow connect does not hold back the rest.
/// </summary>
internal sealed class ConnectionFlood : IAsyncDisposable
{
    private const int Loops = 4;

    // Longer than a loopback connect ever takes; a listener whose backlog is full drops SYNs instead of refusing.
    private static readonly TimeSpan ConnectLimit = TimeSpan.FromMilliseconds(200);

    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task[] _loops;
    private long _attempts;

    private ConnectionFlood(int port, int perSecond) =>
        _loops = [.. Enumerable.Range(0, Loops).Select(_ => Task.Run(() => RunAsync(port, perSecond / (double)Loops, _stop.Token)))];

    /// <summary>Connection attempts made so far.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>How long the flood has been running.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Attempts per second since the flood began.</summary>
    public double Rate => Attempts / _clock.Elapsed.TotalSeconds;

    /// <summary>Starts the flood and returns once it is under way (its first 20 attempts made).</summary>
    public static async Task<ConnectionFlood> StartAsync(int port, int perSecond)
    {
        var flood = new ConnectionFlood(port, perSecond);
        await Eventually.TrueAsync(() => flood.Attempts >= 20, TimeSpan.FromSeconds(10), "the flood's first attempts");
        return flood;
    }

    private async Task RunAsync(int port, double perSecond, CancellationToken stop)
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        var paced = Stopwatch.StartNew();
        for (long made = 0; !stop.IsCancellationRequested; made++)
        {
            using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
                limit.CancelAfter(ConnectLimit);
                try
                {
                    await socket.ConnectAsync(endpoint, limit.Token);
                }
                catch (Exception ex) when (ex is SocketException or OperationCanceledException)
                {
                    // Refused while nothing listens, or dropped by a full backlog: an attempt all the same.
                }
            }

            Interlocked.Increment(ref _attempts);

            // Pacing a load generator, not waiting for a condition: ahead of the rate, wait for it to catch up.
            var ahead = TimeSpan.FromSeconds((made + 1) / perSecond) - paced.Elapsed;
            if (ahead > TimeSpan.FromMilliseconds(2))
            {
                try
                {
                    await Task.Delay(ahead, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
