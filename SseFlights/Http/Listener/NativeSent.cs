using System.Runtime.InteropServices;

namespace SseFlights.Http.Listener;

/// <summary>What one non-blocking <c>send(2)</c> did: the bytes the kernel took, and its <c>errno</c> when it took none (0 otherwise).</summary>
internal readonly record struct NativeSent(int Bytes, int Error)
{
    // Linux errno values: the connection is over, so no later write can succeed.
    private const int BrokenPipe = 32, ConnectionReset = 104, NotConnected = 107, ShutDown = 108, TimedOut = 110;

    /// <summary>True when the peer has gone (reset, closed or timed out), not merely slow.</summary>
    public bool PeerGone => Error is BrokenPipe or ConnectionReset or NotConnected or ShutDown or TimedOut;

    /// <summary>The error as the system words it ("Broken pipe").</summary>
    public string Reason => Marshal.GetPInvokeErrorMessage(Error);
}
