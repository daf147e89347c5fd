namespace SseFlights.Tests.Support;

/// <summary>
/// A token linked to the test's and cancelled when the scope ends, so background work a test starts (followers,
/// publishers, load) stops with the test even when an assertion fails before the test would have stopped it.
/// </summary>
internal sealed class ScopedCancellation(CancellationToken outer) : IDisposable
{
    private readonly CancellationTokenSource _source = CancellationTokenSource.CreateLinkedTokenSource(outer);

    public CancellationToken Token => _source.Token;

    public Task CancelAsync() => _source.CancelAsync();

    public void Dispose()
    {
        _source.Cancel();
        _source.Dispose();
    }
}
