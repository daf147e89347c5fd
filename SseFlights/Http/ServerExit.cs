namespace SseFlights.Http;

/// <summary>How a server run ended, which decides the process's exit code.</summary>
internal enum ServerExit
{
    /// <summary>Asked to stop (Ctrl+C, SIGTERM), and every stream was ended in order.</summary>
    Stopped,

    /// <summary>The scenario clock faulted; the process should exit non-zero so a supervisor restarts it.</summary>
    ClockFailed,
}
