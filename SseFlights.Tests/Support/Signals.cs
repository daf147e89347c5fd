using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SseFlights.Tests.Support;

/// <summary>Signals to processes this test started, by their PID.</summary>
internal static class Signals
{
    public const int Sigkill = 9;
    public const int Sigterm = 15;

    /// <summary>kill(2); false when the process is gone (or was never ours to signal).</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>
    /// SIGTERM, and a kill (of the whole tree when <paramref name="tree"/>) if the process has not exited
    /// within <paramref name="grace"/>; returns when it has exited.
    /// </summary>
    public static async Task TerminateAsync(Process process, TimeSpan grace, bool tree = false)
    {
        if (process.HasExited)
        {
            return;
        }

        _ = Send(process.Id, Sigterm);
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: tree);
            await process.WaitForExitAsync();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
