namespace SseFlights.Scenario;

/// <summary>
/// A frame written in pieces of <paramref name="Bytes"/> bytes (cut wherever the count falls, even
/// inside a UTF-8 character) with <paramref name="DelayMs"/> between pieces: what a client must
/// reassemble from a slow or fragmenting network.
/// </summary>
internal sealed record FrameSplit(int Bytes, int DelayMs)
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxDelayMs = 60_000;
}
