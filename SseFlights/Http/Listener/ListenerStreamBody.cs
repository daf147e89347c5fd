using System.Net;
using SseFlights.Delivery;

namespace SseFlights.Http.Listener;

/// <summary>
/// The listener's own response stream, the fallback. Correct everywhere, but on Linux each write is
/// three socket sends, two of them synchronous, and even Abort() and Close() block, because they write
/// the last chunk synchronously first: a peer that stops reading would pin whichever thread touches the
/// response. So every write and the end run on the pool, and the stream waits for them or for a cut,
/// whichever comes first; a cut hands Abort() to the pool as well. The scenario clock and the heartbeat
/// ticker, which cut slow and stalled clients, never wait on one client, and a cut stream leaves at once
/// (a pool thread stays with the stuck write until the peer reads or goes away). Each write copies its
/// bytes, since an abandoned write may still be reading them after the pooled buffer has gone back.
/// </summary>
internal sealed class ListenerStreamBody(HttpListenerResponse response) : StreamBody(headerRoom: 0, trailerRoom: 0)
{
    private static readonly Action<HttpListenerResponse> AbortResponse = static r => r.Abort();

    private readonly TaskCompletionSource _cut = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override ValueTask WriteAsync(WriteBuffer buffer, int length)
    {
        byte[] bytes = buffer.Payload[..length].ToArray();
        return UnlessCutAsync(Task.Run(() => response.OutputStream.WriteAsync(bytes).AsTask()));
    }

    public override ValueTask EndAsync() => UnlessCutAsync(Task.Run(response.Close));

    public override void Cut()
    {
        if (_cut.TrySetResult())
        {
            ThreadPool.UnsafeQueueUserWorkItem(AbortResponse, response, preferLocal: false);
        }
    }

    private async ValueTask UnlessCutAsync(Task work)
    {
        if (await Task.WhenAny(work, _cut.Task).ConfigureAwait(false) == work)
        {
            await work.ConfigureAwait(false);
            return;
        }

        // Abandoned to the abort: observe its failure so it is never an unobserved exception.
        _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        throw new IOException("the stream was cut while a write was stuck");
    }
}
