using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Serilog;

namespace SseFlights.Nats;

/// <summary>
/// Reads a stream in order from a sequence, one message at a time, through the NATS client's ordered
/// consumer. That consumer recovers from most hiccups itself; when it gives up (a long outage, the
/// stream briefly missing), this reader waits a little and opens a new one after the last message it
/// delivered, so the caller sees every sequence once, in order, whatever happened in between.
/// </summary>
internal sealed class OrderedLogReader(INatsJSContext jetStream, string stream, long fromSequence, TimeProvider time, ILogger log) : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(2);

    private IAsyncEnumerator<INatsJSMsg<byte[]>>? _messages;
    private long _next = fromSequence;
    private int _failures;

    /// <summary>The next message; waits for one to be appended. Throws only <see cref="OperationCanceledException"/>.</summary>
    public async Task<LogRecord> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                _messages ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
                if (!await _messages.MoveNextAsync().ConfigureAwait(false))
                {
                    // The client's consumer ends quietly when our token is cancelled, and otherwise only when it is broken.
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new NatsException("the ordered consumer ended");
                }

                var message = _messages.Current;
                if (message.Metadata is not { } metadata || (long)metadata.Sequence.Stream < _next)
                {
                    // Not a stream message, or one delivered before the consumer was recreated.
                    continue;
                }

                long sequence = (long)metadata.Sequence.Stream;
                _next = sequence + 1;
                _failures = 0;
                return new LogRecord(sequence, message.Data ?? []) { Stored = metadata.Timestamp };
            }
            catch (Exception ex) when (ex is NatsException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                await CloseAsync().ConfigureAwait(false);
                _failures++;
                var wait = TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(_failures - 1, 8)));
                log.Warning("Reading the stream {Stream} at sequence {Sequence} failed ({Reason}); trying again in {Seconds:0.###} s", stream, _next, NatsErrors.Describe(ex), wait.TotalSeconds);
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public ValueTask DisposeAsync() => CloseAsync();

    private async Task<IAsyncEnumerator<INatsJSMsg<byte[]>>> OpenAsync(CancellationToken cancellationToken)
    {
        var consumer = await jetStream.CreateOrderedConsumerAsync(
            stream,
            new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence, OptStartSeq = (ulong)_next },
            cancellationToken).ConfigureAwait(false);
        return consumer.ConsumeAsync<byte[]>(cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    private async ValueTask CloseAsync()
    {
        if (_messages is { } messages)
        {
            _messages = null;
            try
            {
                await messages.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NatsException or OperationCanceledException)
            {
                // Deleting a consumer on a server that is gone; the server drops it by itself.
                log.Debug("Closing the consumer of {Stream} failed: {Reason}", stream, NatsErrors.Describe(ex));
            }
        }
    }
}
