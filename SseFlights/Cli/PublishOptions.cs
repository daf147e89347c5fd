namespace SseFlights.Cli;

/// <summary>Everything <c>sseflights publish</c> was asked for, already validated.</summary>
internal sealed record PublishOptions(NatsLogOptions Log, string ScenarioPath, double Speed);
