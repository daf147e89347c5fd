using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SseFlights.Http.Listener;

/// <summary>
/// One non-blocking <c>send(2)</c> on Linux: the bytes the kernel takes at once, counted exactly,
/// without the layers of NetworkStream's asynchronous write (the socket's async context, its event args
/// and their state machines), which cost more than the send itself for a stream's small frames.
/// Whatever the kernel does not take at once (a full socket, or any error) the caller writes through
/// the stream, which waits for room and reports failures the usual way. Only ever called by a stream's
/// one writer, between its own writes, so it never overtakes a send still in progress on that socket.
/// </summary>
internal static class NativeSend
{
    private const int DontWait = 0x40, NoSignal = 0x4000;

    /// <summary>True on Linux when libc loads and exports <c>send</c> (checked once, by <see cref="ListenerInternals.Probe"/>).</summary>
    public static bool Probe() =>
        OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc", typeof(NativeSend).Assembly, null, out nint libc) && NativeLibrary.TryGetExport(libc, "send", out _);

    /// <summary>
    /// Sends what the kernel takes of <paramref name="bytes"/> now. Nothing taken is a full socket (or a
    /// call to retry) unless the error says the peer has gone: then the caller ends the stream at once,
    /// without a write through the stream whose failure would cost an exception with a rendered stack
    /// trace (in a reconnect storm, one for every client that left).
    /// </summary>
    public static unsafe NativeSent TrySend(SafeSocketHandle socket, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            nint sent = Send(socket, start, (nuint)bytes.Length, DontWait | NoSignal);
            return sent >= 0 ? new NativeSent((int)sent, 0) : new NativeSent(0, Marshal.GetLastPInvokeError());
        }
    }

    [DllImport("libc", EntryPoint = "send", SetLastError = true)]
    private static extern unsafe nint Send(SafeSocketHandle socket, byte* buffer, nuint length, int flags);
}
