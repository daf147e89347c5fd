using System.Net.ServerSentEvents;
using System.Threading.Channels;

namespace KestrelPeer;

/// <summary>One open stream: its own queue of items, read by the framework's SSE result.</summary>
internal sealed class Subscriber(HttpContext context)
{
    // Unbounded, as the framework's samples do: a stalled client grows its queue instead of blocking others.
    private readonly Channel<SseItem<string>> _queue =
        Channel.CreateUnbounded<SseItem<string>>(new UnboundedChannelOptions { SingleReader = true });

    public HttpContext Context { get; } = context;

    public bool TryWrite(SseItem<string> item) => _queue.Writer.TryWrite(item);

    public void Complete() => _queue.Writer.TryComplete();

    public IAsyncEnumerable<SseItem<string>> ReadAllAsync(CancellationToken ct) => _queue.Reader.ReadAllAsync(ct);
}
