using System.Net.Sockets;
using System.Text;

namespace SseFlights.Tests.Support;

/// <summary>
/// One raw TCP connection that keeps every byte it reads, for exact-bytes assertions on framing:
/// what comes after a head, whether the server closes, what a second request on it gets.
/// </summary>
internal sealed class RawConnection : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly MemoryStream _received = new();
    private readonly byte[] _buffer = new byte[16 * 1024];

    public bool Closed { get; private set; }

    /// <summary>Each receive on its own, as Latin-1: how the bytes were split on the wire.</summary>
    public List<string> Reads { get; } = [];

    /// <summary>Everything read so far, as Latin-1 so each byte is one char.</summary>
    public string Text => Encoding.Latin1.GetString(_received.GetBuffer(), 0, (int)_received.Length);

    public static async Task<RawConnection> OpenAsync(int port)
    {
        var connection = new RawConnection();
        await connection._socket.ConnectAsync("127.0.0.1", port);
        return connection;
    }

    public async Task SendAsync(string request) => await _socket.SendAsync(Encoding.Latin1.GetBytes(request));

    /// <summary>Reads until <paramref name="marker"/> has arrived; fails with what was read if it does not in time.</summary>
    public async Task<string> ReadUntilAsync(string marker, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (!Text.Contains(marker, StringComparison.Ordinal))
        {
            if (Closed || !await ReadOnceAsync(cancel.Token, $"'{marker.Replace("\n", "\\n")}'"))
            {
                Assert.Fail($"The connection closed before '{marker}'; read:\n{Text}");
            }
        }

        return Text;
    }

    /// <summary>Reads until the server closes the connection; fails with what was read if it stays open.</summary>
    public async Task<string> ReadToEndAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (!Closed && await ReadOnceAsync(cancel.Token, "the server to close the connection"))
        {
        }

        return Text;
    }

    /// <summary>
    /// True if anything (bytes or the close) arrives within <paramref name="window"/>, without reading
    /// it: how a test shows that nothing is sent yet, e.g. before a fake clock is advanced.
    /// </summary>
    public Task<bool> ReceivesWithinAsync(TimeSpan window) =>
        Task.Run(() => _socket.Poll((int)(window.Ticks / 10), SelectMode.SelectRead));

    private async Task<bool> ReadOnceAsync(CancellationToken cancellationToken, string waitingFor)
    {
        int read;
        try
        {
            read = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Timed out waiting for {waitingFor}; read:\n{Text}");
            return false;
        }
        catch (SocketException)
        {
            // A reset is a close too.
            read = 0;
        }

        if (read == 0)
        {
            Closed = true;
            return false;
        }

        _received.Write(_buffer, 0, read);
        Reads.Add(Encoding.Latin1.GetString(_buffer, 0, read));
        return true;
    }

    public void Dispose()
    {
        _socket.Dispose();
        _received.Dispose();
    }
}

/// <summary>Splits a raw response into head and body, and strictly decodes a chunked body (RFC 9112 §7.1).</summary>
internal static class Wire
{
    public static (string Head, string Body) Split(string response)
    {
        int end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.That(end, Is.GreaterThan(0), "no complete head in:\n" + response);
        return (response[..end], response[(end + 4)..]);
    }

    public static string? Header(string head, string name) =>
        head.Split("\r\n").Skip(1).Select(l => l.Split(':', 2)).FirstOrDefault(p => p[0].Equals(name, StringComparison.OrdinalIgnoreCase))?[1].Trim();

    /// <summary>The decoded payload, and what followed the last chunk (which must be nothing).</summary>
    public static (string Payload, bool Terminated, string After) DecodeChunked(string body)
    {
        var payload = new StringBuilder();
        int at = 0;
        while (true)
        {
            int lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                return (payload.ToString(), false, body[at..]);
            }

            int size = Convert.ToInt32(body[at..lineEnd], 16);
            at = lineEnd + 2;
            if (size == 0)
            {
                bool terminated = body.AsSpan(at).StartsWith("\r\n");
                return (payload.ToString(), terminated, terminated ? body[(at + 2)..] : body[at..]);
            }

            Assert.That(body.Length, Is.GreaterThanOrEqualTo(at + size + 2), "a chunk shorter than its size line says");
            payload.Append(body, at, size);
            Assert.That(body.Substring(at + size, 2), Is.EqualTo("\r\n"), "a chunk not ended by CRLF");
            at += size + 2;
        }
    }
}
