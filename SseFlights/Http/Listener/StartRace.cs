using System.Net;

namespace SseFlights.Http.Listener;

/// <summary>
/// A race in .NET's managed HttpListener (dotnet/corefx#35191, still so in .NET 10): the endpoint's
/// constructor binds, listens and accepts before it creates its connection set, so a connection
/// already queued on the port is accepted at once and handling it throws ArgumentNullException out of
/// <see cref="HttpListener.Start"/>. A restart of a board with viewers meets it often: browsers
/// reconnect to the port while the new process starts (4 of 15 starts failed at 300 connection
/// attempts a second). The half-built endpoint is left with its socket bound, but nothing refers to
/// it any more (it was never registered, and no accept is pending on it), so a garbage collection
/// finalizes the socket and frees the port; a new listener then starts, and with the code warm the
/// window is far shorter. No private member is touched.
/// </summary>
internal static class StartRace
{
    /// <summary>Starts tried before giving up; measured, one retry was always enough under 2,000 connection attempts a second.</summary>
    public const int MaxAttempts = 20;

    /// <summary>True when <paramref name="ex"/> from a start is this race (or the port its last loss still held) and another attempt is allowed.</summary>
    public static bool Lost(Exception ex, int attempt) =>
        attempt < MaxAttempts && (ex is ArgumentNullException || (attempt > 1 && StartFailures.IsAddressInUse(ex)));

    /// <summary>Frees the port the lost start left bound: the half-built endpoint's socket is finalized.</summary>
    public static void ReleasePort()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
