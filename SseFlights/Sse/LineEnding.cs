namespace SseFlights.Sse;

/// <summary>The line ending a formatted frame uses; the spec's parser accepts all three (WHATWG HTML §9.2.5).</summary>
internal enum LineEnding
{
    Lf,
    Crlf,
    Cr,
}

/// <summary>The bytes of each <see cref="LineEnding"/>.</summary>
internal static class LineEndings
{
    public static ReadOnlySpan<byte> Bytes(this LineEnding ending) => ending switch
    {
        LineEnding.Lf => "\n"u8,
        LineEnding.Crlf => "\r\n"u8,
        LineEnding.Cr => "\r"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(ending), ending, null),
    };
}
