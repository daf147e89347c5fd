using SseFlights.Sse;

namespace SseFlights.Scenario;

/// <summary>How the server writes every frame it formats: the line ending, and a byte order mark at the start of each stream.</summary>
internal sealed record WireFormat(LineEnding LineEnding, bool Bom)
{
    /// <summary>As the server always wrote: LF, no BOM.</summary>
    public static readonly WireFormat Default = new(LineEnding.Lf, false);

    /// <summary>U+FEFF in UTF-8; the spec's decoder strips one at the very start of a stream (WHATWG HTML §9.2.5).</summary>
    public static ReadOnlySpan<byte> BomBytes => "\uFEFF"u8;
}
