using System.Runtime.InteropServices;

namespace SseFlights;

/// <summary>
/// SIGINT and SIGTERM, taken by the program so its own orderly stop always runs (the process is kept
/// alive; <see cref="Stop"/> ends). A second signal also ends <see cref="StopNow"/>: the server's
/// <c>--drain</c> then ends the streams still open at once.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenSource _stopNow = new();
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private int _signals;

    public StopSignals(CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Ends at the first signal (or when the caller's token does).</summary>
    public CancellationToken Stop => _stop.Token;

    /// <summary>Ends at the second signal.</summary>
    public CancellationToken StopNow => _stopNow.Token;

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _stop.Dispose();
        _stopNow.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        (Interlocked.Increment(ref _signals) == 1 ? _stop : _stopNow).Cancel();
    }
}
