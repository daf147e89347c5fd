using System.Globalization;

namespace SseFlights.Tests.Support;

/// <summary>
/// A whole /events response read over a raw socket to its last chunk, and its payload cut into
/// frames exactly as sent: for comparing the bytes of each id across servers. Text is Latin-1, so
/// each char is one byte on the wire (UTF-8 data stays as its bytes).
/// </summary>
internal static class SseFrames
{
    /// <summary>GET /events (with <paramref name="lastEventId"/> if given) read until the stream ends; the de-chunked payload.</summary>
    public static async Task<string> ReadStreamAsync(int port, string? lastEventId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(port, lastEventId);
        return await ReadToEndOfStreamAsync(connection, timeout, cancellationToken);
    }

    /// <summary>Sends GET /events; the response is read with <see cref="ReadToEndOfStreamAsync"/> (or <see cref="RawConnection.ReadUntilAsync"/> first).</summary>
    public static async Task<RawConnection> OpenAsync(int port, string? lastEventId)
    {
        var connection = await RawConnection.OpenAsync(port);
        string header = lastEventId is null ? "" : $"Last-Event-ID: {lastEventId}\r\n";
        await connection.SendAsync($"GET /events HTTP/1.1\r\nHost: localhost\r\n{header}\r\n");
        return connection;
    }

    /// <summary>Reads a 200 event stream to its last chunk and returns its payload (which must end at a frame's end).</summary>
    public static async Task<string> ReadToEndOfStreamAsync(RawConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string text = await connection.ReadUntilAsync("\r\n0\r\n\r\n", timeout);
        var (head, body) = Wire.Split(text);
        Assert.That(head, Does.StartWith("HTTP/1.1 200 ").And.Contain("text/event-stream"), "the stream's head");
        var (payload, terminated, after) = Wire.DecodeChunked(body);
        Assert.That((terminated, after), Is.EqualTo((true, "")), "the stream ends with its last chunk");
        Assert.That(payload, Does.EndWith("\n\n"), "the stream ends at a frame's end");
        return payload;
    }

    /// <summary>The frames of an LF payload, each with its blank line.</summary>
    public static List<string> Split(string payload) =>
        [.. payload.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(frame => frame + "\n\n")];

    /// <summary>The frame's id, or null for a frame without one (retry, comment).</summary>
    public static long? IdOf(string frame) =>
        frame.Split('\n').FirstOrDefault(line => line.StartsWith("id: ", StringComparison.Ordinal)) is { } line
            ? long.Parse(line[4..], CultureInfo.InvariantCulture)
            : null;

    /// <summary>The ids in order, with null for frames that have none.</summary>
    public static List<long?> Ids(string payload) => [.. Split(payload).Select(IdOf)];
}
