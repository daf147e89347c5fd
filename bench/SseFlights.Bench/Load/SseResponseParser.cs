using System.Text;

namespace SseFlights.Bench.Load;

/// <summary>An incremental parser for one HTTP/1.1 response carrying an event stream: status line
/// and headers, then a chunked, Content-Length or read-to-close body, then SSE lines. It keeps only
/// the first bytes of each line (enough for status, headers, <c>event:</c>, <c>id:</c> and <c>retry:</c>), so a
/// client costs about 200 bytes of parser state and nothing is allocated per event.</summary>
internal sealed class SseResponseParser(ISseFrameSink sink)
{
    private const int LinePrefixBytes = 64;
    private const int EventTypeBytes = 48;

    private enum Stage { Head, ChunkSize, ChunkData, ChunkEnd, Trailer, Identity, Done }

    private readonly byte[] _line = new byte[LinePrefixBytes];
    private readonly byte[] _eventType = new byte[EventTypeBytes];
    private Stage _stage;
    private int _lineLength;
    private int _statusCode;
    private bool _chunked;
    private long _contentLength = -1;
    private long _remaining;
    private bool _chunkExtension;
    private int _eventTypeLength;
    private long _frameId = -1;

    public bool HeadComplete => _stage != Stage.Head;

    public bool BodyEnded => _stage == Stage.Done;

    public int StatusCode => _statusCode;

    /// <summary>Starts over for a new response on a new connection.</summary>
    public void Reset()
    {
        _stage = Stage.Head;
        _lineLength = 0;
        _statusCode = 0;
        _chunked = false;
        _contentLength = -1;
        _remaining = 0;
        _chunkExtension = false;
        _eventTypeLength = 0;
        _frameId = -1;
    }

    public void Feed(ReadOnlySpan<byte> data, long arrival)
    {
        while (!data.IsEmpty && _stage != Stage.Done)
        {
            int used = _stage switch
            {
                Stage.Head => FeedHead(data),
                Stage.ChunkSize => FeedChunkSize(data),
                Stage.ChunkData => FeedBody(data, arrival),
                Stage.ChunkEnd => FeedChunkEnd(data),
                Stage.Trailer => FeedTrailer(data),
                _ => FeedBody(data, arrival),
            };
            data = data[used..];
        }
    }

    private int FeedHead(ReadOnlySpan<byte> data)
    {
        int newline = data.IndexOf((byte)'\n');
        if (newline < 0)
        {
            AppendToLine(data);
            return data.Length;
        }
        AppendToLine(data[..newline]);
        ReadOnlySpan<byte> line = TakeLine();
        if (_statusCode == 0) _statusCode = ParseStatus(line);
        else if (line.IsEmpty) EndHead();
        else ParseHeader(line);
        return newline + 1;
    }

    private void EndHead()
    {
        sink.OnResponseHead(_statusCode);
        // RFC 9112 §6.3: 1xx, 204 and 304 have no body; chunked wins over Content-Length.
        if (_statusCode is 204 or 304 || (!_chunked && _contentLength == 0)) EndBody();
        else if (_chunked) _stage = Stage.ChunkSize;
        else
        {
            _remaining = _contentLength > 0 ? _contentLength : long.MaxValue;
            _stage = Stage.Identity;
        }
    }

    private int FeedChunkSize(ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            byte b = data[i];
            if (b == '\n')
            {
                _chunkExtension = false;
                _stage = _remaining == 0 ? Stage.Trailer : Stage.ChunkData;
                return i + 1;
            }
            if (_chunkExtension || b is (byte)'\r' or (byte)' ' or (byte)'\t') continue;
            if (b == ';')
            {
                _chunkExtension = true;
                continue;
            }
            int digit = HexValue(b);
            if (digit < 0 || _remaining > (long.MaxValue >> 4))
            {
                EndBody(); // Not chunked framing: stop rather than misread the rest.
                return data.Length;
            }
            _remaining = _remaining * 16 + digit;
        }
        return data.Length;
    }

    private int FeedChunkEnd(ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] == '\r') continue;
            if (data[i] == '\n')
            {
                _stage = Stage.ChunkSize;
                return i + 1;
            }
            EndBody();
            return data.Length;
        }
        return data.Length;
    }

    private int FeedTrailer(ReadOnlySpan<byte> data)
    {
        int newline = data.IndexOf((byte)'\n');
        if (newline < 0)
        {
            AppendToLine(data);
            return data.Length;
        }
        AppendToLine(data[..newline]);
        if (TakeLine().IsEmpty) EndBody();
        return newline + 1;
    }

    /// <summary>Body bytes of a chunk or of an unchunked body go to the SSE line scanner.</summary>
    private int FeedBody(ReadOnlySpan<byte> data, long arrival)
    {
        int take = (int)Math.Min(_remaining, data.Length);
        ScanEventStream(data[..take], arrival);
        _remaining -= take;
        if (_remaining == 0)
        {
            if (_stage == Stage.ChunkData) _stage = Stage.ChunkEnd;
            else EndBody();
        }
        return take;
    }

    private void ScanEventStream(ReadOnlySpan<byte> data, long arrival)
    {
        if (_lineLength > 0)
        {
            // Finish the line the previous read left unfinished.
            int end = data.IndexOf((byte)'\n');
            if (end < 0)
            {
                AppendToLine(data);
                return;
            }
            AppendToLine(data[..end]);
            EndEventStreamLine(TakeLine(), arrival);
            data = data[(end + 1)..];
        }
        while (true)
        {
            // Whole lines are read where they lie; only a line cut by the end of a read is copied.
            int newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (!data.IsEmpty) AppendToLine(data);
                return;
            }
            ReadOnlySpan<byte> line = data[..newline];
            if (!line.IsEmpty && line[^1] == '\r') line = line[..^1];
            EndEventStreamLine(line, arrival);
            data = data[(newline + 1)..];
        }
    }

    // HTML Living Standard §9.2.6: a blank line dispatches; a line starting with ':' is a comment;
    // otherwise the field name runs to the first ':' and one space after it is dropped.
    private void EndEventStreamLine(ReadOnlySpan<byte> line, long arrival)
    {
        if (line.IsEmpty)
        {
            if (_frameId >= 0 || _eventTypeLength > 0) sink.OnFrame(_eventType.AsSpan(0, _eventTypeLength), _frameId, arrival);
            _frameId = -1;
            _eventTypeLength = 0;
            return;
        }
        // Only event, id and retry matter here: data, comments and unknown fields are passed over
        // on their first byte, which is most of the bytes of a stream.
        if (line[0] is not ((byte)'e' or (byte)'i' or (byte)'r')) return;
        int colon = line.IndexOf((byte)':');
        ReadOnlySpan<byte> field = colon < 0 ? line : line[..colon];
        ReadOnlySpan<byte> value = colon < 0 ? default : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == ' ') value = value[1..];
        if (field.SequenceEqual("event"u8))
        {
            _eventTypeLength = Math.Min(value.Length, EventTypeBytes);
            value[.._eventTypeLength].CopyTo(_eventType);
        }
        else if (field.SequenceEqual("id"u8))
        {
            _frameId = ParseId(value);
        }
        else if (field.SequenceEqual("retry"u8))
        {
            // §9.2.6: only ASCII digits set the reconnection time, at once (not at dispatch); anything else is ignored.
            long milliseconds = ParseId(value);
            if (milliseconds >= 0) sink.OnRetry(milliseconds);
        }
    }

    private void EndBody()
    {
        _stage = Stage.Done;
        sink.OnEndOfBody();
    }

    private void AppendToLine(ReadOnlySpan<byte> part)
    {
        int room = LinePrefixBytes - Math.Min(_lineLength, LinePrefixBytes);
        if (room > 0) part[..Math.Min(room, part.Length)].CopyTo(_line.AsSpan(_lineLength));
        _lineLength += part.Length;
    }

    /// <summary>The current line's kept prefix without its CR; the line buffer starts over.</summary>
    private ReadOnlySpan<byte> TakeLine()
    {
        int kept = Math.Min(_lineLength, LinePrefixBytes);
        bool whole = _lineLength <= LinePrefixBytes;
        _lineLength = 0;
        ReadOnlySpan<byte> line = _line.AsSpan(0, kept);
        return whole && !line.IsEmpty && line[^1] == '\r' ? line[..^1] : line;
    }

    private void ParseHeader(ReadOnlySpan<byte> line)
    {
        int colon = line.IndexOf((byte)':');
        if (colon < 0) return;
        ReadOnlySpan<byte> name = line[..colon];
        ReadOnlySpan<byte> value = line[(colon + 1)..].Trim((byte)' ');
        if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
        {
            _chunked = Ascii.EqualsIgnoreCase(value, "chunked"u8) || value.IndexOf("chunked"u8) >= 0;
        }
        else if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
        {
            _contentLength = ParseId(value);
        }
    }

    private static int ParseStatus(ReadOnlySpan<byte> line)
    {
        // "HTTP/1.1 200 OK"
        if (line.Length < 12 || !line.StartsWith("HTTP/"u8)) return -1;
        int space = line.IndexOf((byte)' ');
        if (space < 0 || line.Length < space + 4) return -1;
        long code = ParseId(line.Slice(space + 1, 3));
        return code is >= 100 and <= 599 ? (int)code : -1;
    }

    /// <summary>A non-negative decimal, or -1 when the text is empty, too long or not all digits.</summary>
    internal static long ParseId(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty || text.Length > 18) return -1;
        long value = 0;
        foreach (byte b in text)
        {
            if (b is < (byte)'0' or > (byte)'9') return -1;
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
