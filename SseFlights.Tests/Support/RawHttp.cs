using System.Net.Sockets;
using System.Text;

namespace SseFlights.Tests.Support;

/// <summary>Requests written byte for byte over a socket, for what HttpClient would refuse or normalise.</summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> and reads until the server closes or the response is complete.</summary>
    public static async Task<RawResponse> SendAsync(int port, byte[] request, TimeSpan? timeout = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", port);
        await socket.SendAsync(request);
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            while (!RawResponse.IsComplete(received.ToArray()))
            {
                int read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token);
                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // A reset after the response is an answer too: the server closed the connection.
        }

        return RawResponse.Parse(received.ToArray());
    }

    public static Task<RawResponse> SendAsync(int port, string request, TimeSpan? timeout = null) =>
        SendAsync(port, Encoding.Latin1.GetBytes(request), timeout);

    public static Task<RawResponse> GetAsync(int port, string target, string extraHeaders = "") =>
        SendAsync(port, $"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{extraHeaders}\r\n");
}

/// <summary>A parsed raw response; <see cref="Status"/> is 0 when the server closed without answering.</summary>
internal sealed record RawResponse(int Status, string Head, string Body)
{
    public static RawResponse Parse(byte[] bytes)
    {
        string text = Encoding.UTF8.GetString(bytes);
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.", StringComparison.Ordinal) || end < 0)
        {
            return new RawResponse(0, text, "");
        }

        return new RawResponse(int.Parse(text.AsSpan(9, 3)), text[..end], text[(end + 4)..]);
    }

    public string? Header(string name) =>
        Head.Split("\r\n").Skip(1).Select(l => l.Split(':', 2)).FirstOrDefault(p => p[0].Equals(name, StringComparison.OrdinalIgnoreCase))?[1].Trim();

    internal static bool IsComplete(byte[] bytes)
    {
        var response = Parse(bytes);
        if (response.Status == 0)
        {
            return false;
        }

        if (response.Header("Content-Length") is { } length)
        {
            return Encoding.UTF8.GetByteCount(response.Body) >= int.Parse(length);
        }

        return response.Header("Transfer-Encoding") is { } te && te.Contains("chunked") && response.Body.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
    }
}
