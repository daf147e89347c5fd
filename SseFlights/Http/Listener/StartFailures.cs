using System.Net;
using System.Net.Sockets;

namespace SseFlights.Http.Listener;

/// <summary>What a failed start says: one line that names the port and what to do.</summary>
internal static class StartFailures
{
    // EADDRINUSE as the managed listener reports it (the socket's errno): Linux, then macOS and the BSDs.
    private const int LinuxAddressInUse = 98, BsdAddressInUse = 48;

    public static bool IsAddressInUse(Exception ex) => ex switch
    {
        HttpListenerException listener => listener.ErrorCode is LinuxAddressInUse or BsdAddressInUse or (int)SocketError.AddressAlreadyInUse,
        SocketException socket => socket.SocketErrorCode == SocketError.AddressAlreadyInUse,
        _ => false,
    };

    public static string Describe(Exception ex, int port, int attempt) => ex switch
    {
        _ when IsAddressInUse(ex) => $"port {port} is already in use; choose another with --port",
        ArgumentNullException => $"cannot listen on port {port}: clients kept connecting while the listener was starting, {attempt} times in a row",
        _ => $"cannot listen on port {port}: {ex.Message}",
    };
}
