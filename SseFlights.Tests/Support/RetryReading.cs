namespace SseFlights.Tests.Support;

/// <summary>
/// The reconnection time a client ended with: read from the client itself, or, where the client
/// hides it (EventSource in a browser), its last wait before a reconnect, measured around it.
/// </summary>
internal sealed record RetryReading(double Milliseconds, bool Measured)
{
    public static RetryReading Read(double milliseconds) => new(milliseconds, false);

    public static RetryReading Waited(double milliseconds) => new(milliseconds, true);

    public override string ToString() => Measured ? $"waited {Milliseconds:0} ms" : $"{Milliseconds:0} ms";
}
