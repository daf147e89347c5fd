namespace SseFlights.Sources;

/// <summary>
/// What feeds the hub for as long as the server runs: the scenario's clock (<see cref="ScenarioSource"/>),
/// or with <c>--nats</c> a shared log of live events. The server runs it and stops it with the token;
/// an exception other than the stop's own cancellation means it has failed, and the server stops.
/// </summary>
internal interface IEventSource
{
    Task RunAsync(CancellationToken cancellationToken);
}
