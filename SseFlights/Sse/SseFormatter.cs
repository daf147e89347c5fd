using System.Buffers;
using System.Globalization;
using System.Text;

namespace SseFlights.Sse;

/// <summary>
/// Pure SSE encoding (WHATWG HTML §9.2.6 "Server-sent events"): bytes into a buffer, no I/O.
/// Lines end with LF; every frame ends with a blank line.
/// </summary>
internal static class SseFormatter
{
    /// <summary>
    /// Encodes one event: <c>event:</c>, one <c>data:</c> line per line of <paramref name="data"/>
    /// (split on CRLF, CR and LF, as the parser splits them), then <c>id:</c> and a blank line.
    /// Empty data still gets one <c>data:</c> line, because a frame without data is not dispatched.
    /// </summary>
    public static void WriteEvent(IBufferWriter<byte> output, string eventName, string data, long id)
    {
        ThrowIfBreaksField(eventName, nameof(eventName));
        ArgumentOutOfRangeException.ThrowIfNegative(id);

        WriteField(output, "event: "u8, eventName);
        int start = 0;
        while (true)
        {
            int end = data.AsSpan(start).IndexOfAny('\r', '\n');
            if (end < 0)
            {
                WriteDataLine(output, data.AsSpan(start));
                break;
            }

            WriteDataLine(output, data.AsSpan(start, end));
            start += end + (data[start + end] == '\r' && start + end + 1 < data.Length && data[start + end + 1] == '\n' ? 2 : 1);
        }

        Span<byte> digits = stackalloc byte[20];
        id.TryFormat(digits, out int length, default, CultureInfo.InvariantCulture);
        output.Write("id: "u8);
        output.Write(digits[..length]);
        output.Write("\n\n"u8);
    }

    public static byte[] FormatEvent(string eventName, string data, long id)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + Encoding.UTF8.GetMaxByteCount(data.Length + eventName.Length));
        WriteEvent(buffer, eventName, data, id);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The <c>retry:</c> frame: how long a client waits before reconnecting, in milliseconds.</summary>
    public static byte[] FormatRetry(int milliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds);
        return Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"retry: {milliseconds}\n\n"));
    }

    /// <summary>A comment frame (a line starting with ':'), which parsers ignore; used as a heartbeat.</summary>
    public static byte[] FormatComment(string text)
    {
        ThrowIfBreaksField(text, nameof(text), allowEmpty: true);
        return Encoding.UTF8.GetBytes(text.Length == 0 ? ":\n\n" : $": {text}\n\n");
    }

    private static void WriteDataLine(IBufferWriter<byte> output, ReadOnlySpan<char> line)
    {
        // "data:" alone for an empty line: the optional space after the colon carries no meaning then.
        if (line.IsEmpty)
        {
            output.Write("data:\n"u8);
            return;
        }

        output.Write("data: "u8);
        WriteUtf8(output, line);
        output.Write("\n"u8);
    }

    private static void WriteField(IBufferWriter<byte> output, ReadOnlySpan<byte> prefix, string value)
    {
        output.Write(prefix);
        WriteUtf8(output, value);
        output.Write("\n"u8);
    }

    private static void WriteUtf8(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        Span<byte> span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static void ThrowIfBreaksField(string value, string paramName, bool allowEmpty = false)
    {
        if (!allowEmpty && value.Length == 0)
        {
            throw new ArgumentException("An SSE field value must not be empty.", paramName);
        }

        if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException("An SSE field value must not contain CR, LF or NUL.", paramName);
        }
    }
}
