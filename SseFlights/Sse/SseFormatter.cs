using System.Buffers;
using System.Globalization;
using System.Text;

namespace SseFlights.Sse;

/// <summary>
/// Pure SSE encoding (WHATWG HTML §9.2.6 "Server-sent events"): bytes into a buffer, no I/O.
/// Lines end with LF unless the caller picks CRLF or CR; every frame ends with a blank line.
/// </summary>
internal static class SseFormatter
{
    /// <summary>
    /// Encodes one event: <c>event:</c>, one <c>data:</c> line per line of <paramref name="data"/>
    /// (split on CRLF, CR and LF, as the parser splits them), then <c>id:</c> and a blank line.
    /// Empty data still gets one <c>data:</c> line, because a frame without data is not dispatched.
    /// </summary>
    public static void WriteEvent(IBufferWriter<byte> output, string eventName, string data, long id, LineEnding ending = LineEnding.Lf)
    {
        ThrowIfBreaksField(eventName, nameof(eventName));
        ArgumentOutOfRangeException.ThrowIfNegative(id);

        ReadOnlySpan<byte> eol = ending.Bytes();
        WriteField(output, "event: "u8, eventName, eol);
        WriteLines(output, "data:"u8, data, eol);

        Span<byte> digits = stackalloc byte[20];
        id.TryFormat(digits, out int length, default, CultureInfo.InvariantCulture);
        output.Write("id: "u8);
        output.Write(digits[..length]);
        output.Write(eol);
        output.Write(eol);
    }

    public static byte[] FormatEvent(string eventName, string data, long id, LineEnding ending = LineEnding.Lf)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + Encoding.UTF8.GetMaxByteCount(data.Length + eventName.Length));
        WriteEvent(buffer, eventName, data, id, ending);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The <c>retry:</c> frame: how long a client waits before reconnecting, in milliseconds.</summary>
    public static byte[] FormatRetry(int milliseconds, LineEnding ending = LineEnding.Lf)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds);
        var buffer = new ArrayBufferWriter<byte>(32);
        WriteField(buffer, "retry: "u8, milliseconds.ToString(CultureInfo.InvariantCulture), ending.Bytes());
        buffer.Write(ending.Bytes());
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A comment frame, which parsers ignore (used as a heartbeat): one line starting with ':' per
    /// line of <paramref name="text"/>, split like data, then a blank line.
    /// </summary>
    public static byte[] FormatComment(string text, LineEnding ending = LineEnding.Lf)
    {
        var buffer = new ArrayBufferWriter<byte>(8 + Encoding.UTF8.GetMaxByteCount(text.Length));
        WriteLines(buffer, ":"u8, text, ending.Bytes());
        buffer.Write(ending.Bytes());
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One <paramref name="prefix"/> line per line of <paramref name="text"/>, split on CRLF, CR and LF.</summary>
    private static void WriteLines(IBufferWriter<byte> output, ReadOnlySpan<byte> prefix, string text, ReadOnlySpan<byte> eol)
    {
        int start = 0;
        while (true)
        {
            int end = text.AsSpan(start).IndexOfAny('\r', '\n');
            if (end < 0)
            {
                WriteLine(output, prefix, text.AsSpan(start), eol);
                return;
            }

            WriteLine(output, prefix, text.AsSpan(start, end), eol);
            start += end + (text[start + end] == '\r' && start + end + 1 < text.Length && text[start + end + 1] == '\n' ? 2 : 1);
        }
    }

    private static void WriteLine(IBufferWriter<byte> output, ReadOnlySpan<byte> prefix, ReadOnlySpan<char> line, ReadOnlySpan<byte> eol)
    {
        output.Write(prefix);

        // "data:" alone for an empty line: the optional space after the colon carries no meaning then.
        if (!line.IsEmpty)
        {
            output.Write(" "u8);
            WriteUtf8(output, line);
        }

        output.Write(eol);
    }

    private static void WriteField(IBufferWriter<byte> output, ReadOnlySpan<byte> prefix, string value, ReadOnlySpan<byte> eol)
    {
        output.Write(prefix);
        WriteUtf8(output, value);
        output.Write(eol);
    }

    private static void WriteUtf8(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        Span<byte> span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static void ThrowIfBreaksField(string value, string paramName)
    {
        if (value.Length == 0)
        {
            throw new ArgumentException("An SSE field value must not be empty.", paramName);
        }

        if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException("An SSE field value must not contain CR, LF or NUL.", paramName);
        }
    }
}
