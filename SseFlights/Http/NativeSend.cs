using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SseFlights.Http;

/// <summary>
/// One non-blocking <c>send(2)</c> on Linux: the bytes the kernel takes at once, counted exactly,
/// without the layers of <see cref="NetworkStream.WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
/// (the socket's async context, its event args and their state machines), which cost more than
/// the send itself for a stream's small frames. Whatever the kernel does not take at once (a full
/// socket, or any error) the caller writes through the stream as before, which waits for room and
/// reports failures the usual way. Only ever called by a stream's one writer, between its own
/// writes, so it never overtakes a send still in progress on that socket.
/// </summary>
internal static partial class NativeSend
{
    private const int DontWait = 0x40, NoSignal = 0x4000;

    /// <summary>True on Linux when libc's <c>send</c> could be called (checked once).</summary>
    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>Sends what the kernel takes of <paramref name="bytes"/> now; 0 when it takes nothing or fails.</summary>
    public static unsafe int TrySend(SafeSocketHandle socket, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            nint sent = Send(socket, start, (nuint)bytes.Length, DontWait | NoSignal);
            return sent > 0 ? (int)sent : 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "send")]
    private static unsafe partial nint Send(SafeSocketHandle socket, byte* buffer, nuint length, int flags);

    /// <summary>True when libc loads the way the import above resolves it, and exports <c>send</c>.</summary>
    private static bool Probe() =>
        NativeLibrary.TryLoad("libc", typeof(NativeSend).Assembly, null, out nint libc) && NativeLibrary.TryGetExport(libc, "send", out _);
}
