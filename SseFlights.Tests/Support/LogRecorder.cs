using SseFlights.Cli;
using SseFlights.Nats;

namespace SseFlights.Tests.Support;

/// <summary>
/// Every message of a live log as it is appended, kept in the test from the first on (the stream's
/// bound discards them later): the raw material of <see cref="LogModel"/>. It reads through the
/// log server going away and coming back, with no gap and no duplicate.
/// </summary>
internal sealed class LogRecorder : IAsyncDisposable
{
    private readonly NatsLog _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(long Sequence, byte[] Body)> _messages = [];
    private readonly Task _reading;

    private LogRecorder(NatsLog log)
    {
        _log = log;
        _reading = Task.Run(ReadAsync);
    }

    public static async Task<LogRecorder> StartAsync(string natsUrl, long maxMessages)
    {
        var log = await NatsLog.ConnectAsync(new NatsLogOptions(natsUrl, NatsLogOptions.DefaultStream, null, maxMessages), TimeProvider.System, Serilog.Core.Logger.None, CancellationToken.None);
        await log.EnsureStreamAsync(CancellationToken.None);
        return new LogRecorder(log);
    }

    public IReadOnlyList<(long Sequence, byte[] Body)> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public long Last
    {
        get
        {
            lock (_messages)
            {
                return _messages.Count == 0 ? 0 : _messages[^1].Sequence;
            }
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var record in _log.ReadFromAsync(1, _stop.Token))
            {
                lock (_messages)
                {
                    _messages.Add((record.Sequence, record.Payload));
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        await _log.DisposeAsync();
        _stop.Dispose();
    }
}
