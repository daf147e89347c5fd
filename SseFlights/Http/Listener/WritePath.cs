namespace SseFlights.Http.Listener;

/// <summary>How event-stream bytes reach the socket (see <see cref="ResponseBody"/>).</summary>
internal enum WritePath
{
    /// <summary>Straight to the connection, one non-blocking send per write, the rest asynchronously (the default where the runtime allows it).</summary>
    Direct,

    /// <summary>The listener's own response stream: the fallback, also forced by <c>SSEFLIGHTS_WRITE_PATH=listener</c>.</summary>
    Listener,
}

/// <summary>Reads the write-path switch from the environment, for operators and for the tests that run both paths.</summary>
internal static class WritePaths
{
    public const string Variable = "SSEFLIGHTS_WRITE_PATH";

    /// <summary>The path asked for, or an error line for an unknown value; unset means the direct path.</summary>
    public static (WritePath Path, string? Error) FromEnvironment(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "direct" => (WritePath.Direct, null),
        "listener" => (WritePath.Listener, null),
        _ => (WritePath.Direct, $"{Variable} must be 'direct' or 'listener'; got '{value}'"),
    };
}
