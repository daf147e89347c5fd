using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace SseFlights.Tests.Support;

/// <summary>
/// A cheap stream reader for tests that need hundreds of clients: a raw socket that records the
/// arrival time of every <c>id:</c> line it reads. Can also be told never to read (a stalled client).
/// </summary>
internal sealed class RawSseClient : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private Task _reading = Task.CompletedTask;

    public List<(long Id, long Timestamp)> Ids { get; } = [];

    public bool Ended { get; private set; }

    /// <summary>When the stream ended (a <see cref="Stopwatch"/> timestamp), once <see cref="Ended"/>.</summary>
    public long EndedAt { get; private set; }

    public bool CleanEnd { get; private set; }

    public static async Task<RawSseClient> ConnectAsync(int port, bool stalled = false, string? lastEventId = null)
    {
        var client = new RawSseClient();
        if (stalled)
        {
            // A small receive window makes a client that never reads fill up fast.
            client._socket.ReceiveBufferSize = 4096;
        }

        await client._socket.ConnectAsync("127.0.0.1", port);
        string header = lastEventId is null ? "" : $"Last-Event-ID: {lastEventId}\r\n";
        await client._socket.SendAsync(Encoding.ASCII.GetBytes($"GET /events HTTP/1.1\r\nHost: localhost\r\n{header}\r\n"));
        if (!stalled)
        {
            client._reading = client.ReadAsync();
        }

        return client;
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        var line = new List<byte>(64);
        try
        {
            while (true)
            {
                int read = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                long now = Stopwatch.GetTimestamp();
                for (int i = 0; i < read; i++)
                {
                    byte b = buffer[i];
                    if (b != (byte)'\n')
                    {
                        // Only short lines matter (ids and the last chunk); skip the rest of long data lines.
                        if (line.Count < 32)
                        {
                            line.Add(b);
                        }

                        continue;
                    }

                    if (line.Count > 4 && line[0] == 'i' && line[1] == 'd' && line[2] == ':' && line[3] == ' ')
                    {
                        lock (Ids)
                        {
                            Ids.Add((long.Parse(Encoding.ASCII.GetString([.. line.Skip(4)])), now));
                        }
                    }

                    CleanEnd |= line.Count == 2 && line[0] == '0' && line[1] == '\r';
                    line.Clear();
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // Reset by the server, or stopped by the test.
        }

        EndedAt = Stopwatch.GetTimestamp();
        Ended = true;
    }

    public List<long> IdList()
    {
        lock (Ids)
        {
            return [.. Ids.Select(i => i.Id)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _reading;
        _stop.Dispose();
    }
}
