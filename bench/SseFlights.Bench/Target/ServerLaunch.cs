namespace SseFlights.Bench.Target;

/// <summary>How to start one server for one run. <paramref name="Path"/> is the sseflights or
/// kestrel-peer executable (or its .dll, run with <c>dotnet</c>), or the Node peer's server.js.</summary>
internal sealed record ServerLaunch(
    ServerKind Kind,
    string Path,
    string Scenario,
    double Speed,
    int History,
    int MaxClients,
    int HeartbeatSeconds,
    string LogPath,
    string? PidFile);
