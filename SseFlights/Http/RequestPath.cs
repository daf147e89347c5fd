using System.Text;

namespace SseFlights.Http;

/// <summary>
/// Decodes a request target into path segments, strictly: malformed percent-encoding or UTF-8 is a
/// 400, and any segment that could step outside a folder or smuggle a separator (".", "..", "/",
/// "\", ":", NUL, control characters, an empty segment in the middle, a leading dot) makes the
/// path unservable. Works on the raw target, because a parsed Uri has already normalised "..".
/// </summary>
internal sealed record RequestPath(string Path, IReadOnlyList<string> Segments, bool Servable)
{
    /// <summary>
    /// The longest target served (RFC 9110 §4.1 asks for at least 8,000 octets); longer ones get
    /// 414. HttpListener has no limit of its own on the request line, so this is the limit.
    /// </summary>
    public const int MaxLength = 8 * 1024;

    /// <summary>Null when the target is malformed (answer 400).</summary>
    public static RequestPath? Parse(string? rawTarget)
    {
        if (string.IsNullOrEmpty(rawTarget) || rawTarget[0] != '/' || rawTarget.Length > MaxLength)
        {
            return null;
        }

        int end = rawTarget.AsSpan().IndexOfAny('?', '#');
        string rawPath = end < 0 ? rawTarget : rawTarget[..end];
        string[] rawSegments = rawPath[1..].Split('/');
        var segments = new List<string>(rawSegments.Length);
        bool servable = true;
        for (int i = 0; i < rawSegments.Length; i++)
        {
            if (Decode(rawSegments[i]) is not { } segment)
            {
                return null;
            }

            bool last = i == rawSegments.Length - 1;
            servable &= (segment.Length > 0 || last) && IsSafeSegment(segment);
            segments.Add(segment);
        }

        return new RequestPath("/" + string.Join('/', segments), segments, servable);
    }

    private static bool IsSafeSegment(string segment)
    {
        if (segment.Length > 0 && segment[0] == '.')
        {
            return false;
        }

        foreach (char c in segment)
        {
            if (c is '/' or '\\' or ':' or '\0' || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string? Decode(string raw)
    {
        if (!raw.Contains('%'))
        {
            return raw;
        }

        var bytes = new List<byte>(raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '%')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(raw[i].ToString()));
                continue;
            }

            if (i + 2 >= raw.Length || !char.IsAsciiHexDigit(raw[i + 1]) || !char.IsAsciiHexDigit(raw[i + 2]))
            {
                return null;
            }

            bytes.Add(Convert.ToByte(raw.Substring(i + 1, 2), 16));
            i += 2;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
