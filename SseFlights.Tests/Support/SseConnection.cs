using System.Net;
using System.Net.ServerSentEvents;
using System.Text;

namespace SseFlights.Tests.Support;

/// <summary>
/// A real client on /events: HttpClient with ResponseHeadersRead, parsed by the framework's own
/// SseParser, with every byte it read kept for byte-for-byte assertions.
/// </summary>
internal sealed class SseConnection : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly RecordingStream _body;
    private readonly IAsyncEnumerator<SseItem<string>> _items;
    private readonly Lock _reading = new();
    private Task _pending = Task.CompletedTask;
    private bool _disposed;

    private SseConnection(HttpResponseMessage response, RecordingStream body)
    {
        _response = response;
        _body = body;
        _items = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
    }

    public HttpResponseMessage Response => _response;

    public string RawText => _body.Text;

    public static async Task<SseConnection> OpenAsync(HttpClient http, string path = "events", string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "GET " + path);
        return new SseConnection(response, new RecordingStream(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<SseItem<string>?> NextAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        Task<bool> next;
        lock (_reading)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            next = _items.MoveNextAsync().AsTask();
            _pending = next;
        }

        var finished = await Task.WhenAny(next, Task.Delay(Timeout.Infinite, cancel.Token));
        if (finished != next)
        {
            Assert.Fail($"No event within {(timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds}s; read so far:\n{RawText}");
        }

        return await next ? _items.Current : null;
    }

    public async Task<List<SseItem<string>>> ReadToEndAsync(TimeSpan? timeout = null)
    {
        var items = new List<SseItem<string>>();
        while (await NextAsync(timeout) is { } item)
        {
            items.Add(item);
        }

        return items;
    }

    public async Task<List<SseItem<string>>> ReadAsync(int count)
    {
        var items = new List<SseItem<string>>();
        for (int i = 0; i < count; i++)
        {
            items.Add(await NextAsync() ?? throw new AssertionException($"The stream ended after {i} events:\n{RawText}"));
        }

        return items;
    }

    public async ValueTask DisposeAsync()
    {
        // No read starts after this; the one in flight (a test that failed while a loop was still
        // reading) ends with the response, and the parser's enumerator can only be disposed once it has.
        Task pending;
        lock (_reading)
        {
            _disposed = true;
            pending = _pending;
        }

        _response.Dispose();
        await IgnoringTheGoneConnection(() => new ValueTask(pending));
        await IgnoringTheGoneConnection(_items.DisposeAsync);
    }

    private static async Task IgnoringTheGoneConnection(Func<ValueTask> work)
    {
        try
        {
            await work();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or HttpRequestException or OperationCanceledException)
        {
            // The connection is already gone; that is what we wanted.
        }
    }

    /// <summary>Passes reads through and keeps a copy of every byte.</summary>
    private sealed class RecordingStream(Stream inner) : Stream
    {
        private readonly MemoryStream _copy = new();

        public string Text
        {
            get
            {
                lock (_copy)
                {
                    return Encoding.UTF8.GetString(_copy.GetBuffer(), 0, (int)_copy.Length);
                }
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read = await inner.ReadAsync(buffer, cancellationToken);
            lock (_copy)
            {
                _copy.Write(buffer.Span[..read]);
            }

            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
