using System.Buffers;

namespace SseFlights.Delivery;

/// <summary>
/// Where one stream's bytes go: the wire implements it (Http/Listener), a test fakes it. Buffers come
/// from the body, so a body that frames its writes (HTTP chunks) does it in place, with no copy;
/// they are pooled and never larger than <see cref="MaxBuffer"/>, so no write rents or allocates an
/// array big enough for the large-object heap (collected only with gen 2).
/// </summary>
internal abstract class StreamBody(int headerRoom, int trailerRoom)
{
    /// <summary>The largest buffer rented: a power of two (what the pool hands out) well under the 85,000-byte large-object threshold.</summary>
    public const int MaxBuffer = 64 * 1024;

    /// <summary>Rents a buffer with room for <paramref name="payload"/> bytes, or as many as fit in <see cref="MaxBuffer"/>.</summary>
    public WriteBuffer Rent(int payload)
    {
        byte[] array = ArrayPool<byte>.Shared.Rent(Math.Min(headerRoom + payload + trailerRoom, MaxBuffer));
        return new WriteBuffer(array, headerRoom, Math.Min(array.Length, MaxBuffer) - headerRoom - trailerRoom);
    }

    public static void Return(WriteBuffer buffer) => ArrayPool<byte>.Shared.Return(buffer.Array);

    /// <summary>Writes the first <paramref name="length"/> payload bytes of <paramref name="buffer"/> as the next part of the body.</summary>
    public abstract ValueTask WriteAsync(WriteBuffer buffer, int length);

    /// <summary>Ends the body properly (the last chunk, when chunked) and hands the connection back.</summary>
    public abstract ValueTask EndAsync();

    /// <summary>Closes the connection at once, without another byte, and without ever blocking.</summary>
    public abstract void Cut();
}
