namespace SseFlights.Sources;

/// <summary>What a live source reports as it happens, for the metrics: they observe, the source never depends on them.</summary>
internal interface ILogObserver
{
    /// <summary>A message of the log was refused (malformed, unknown, or not applicable to the board at that point): it became no event.</summary>
    void MessageRefused();
}
