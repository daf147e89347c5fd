namespace SseFlights.Delivery;

/// <summary>
/// A pooled buffer a stream's bytes are gathered into, rented from its <see cref="StreamBody"/>: the
/// payload goes at <see cref="Payload"/>, and the body alone knows the room it left around it for its framing.
/// </summary>
internal readonly struct WriteBuffer(byte[] array, int start, int capacity)
{
    public byte[] Array => array;

    /// <summary>Where the payload begins in <see cref="Array"/>.</summary>
    public int Start => start;

    /// <summary>The most payload this buffer takes.</summary>
    public int Capacity => capacity;

    public Span<byte> Payload => array.AsSpan(start, capacity);
}
