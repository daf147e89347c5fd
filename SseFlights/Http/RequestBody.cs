using System.Net;
using System.Text;

namespace SseFlights.Http;

/// <summary>A request's body read to its end, and no further than a bound, before the request is answered.</summary>
internal static class RequestBody
{
    /// <summary>The largest body a stream request may carry; more is 413.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>
    /// The whole body as text (UTF-8, a malformed sequence as U+FFFD), or null when it is over
    /// <paramref name="limit"/> bytes (read no further than that). HttpListener leaves an unread body on
    /// the connection, which every answer of ours closes anyway; reading it first is what lets the
    /// client see the answer instead of a reset for unread data.
    /// </summary>
    public static async Task<(bool Fits, string Text)> ReadAsync(HttpListenerRequest request, int limit = MaxBytes) =>
        await ReadBytesAsync(request, limit).ConfigureAwait(false) is { } bytes ? (true, Encoding.UTF8.GetString(bytes)) : (false, "");

    /// <summary>The whole body, or null when it is over <paramref name="limit"/> bytes (read no further than that).</summary>
    public static async Task<byte[]?> ReadBytesAsync(HttpListenerRequest request, int limit = MaxBytes)
    {
        if (request.ContentLength64 > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.InputStream.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
