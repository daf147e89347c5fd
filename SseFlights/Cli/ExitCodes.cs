namespace SseFlights.Cli;

/// <summary>What the process exits with: every command says one of these, and README lists them.</summary>
internal static class ExitCodes
{
    /// <summary>Done, or stopped cleanly (Ctrl+C or SIGTERM ended every stream properly first).</summary>
    public const int Ok = 0;

    /// <summary>Could not do it: an invalid scenario, a missing file, a busy port, a failed scenario clock, an unreachable URL.</summary>
    public const int Failure = 1;

    /// <summary>A bad command-line value: one line on stderr says what would be right.</summary>
    public const int Usage = 2;
}
