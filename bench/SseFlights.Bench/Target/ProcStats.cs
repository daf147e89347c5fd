using System.Globalization;
using System.Runtime.InteropServices;

namespace SseFlights.Bench.Target;

/// <summary>One reading of a process's resident memory, thread count and CPU time from /proc.</summary>
internal sealed record ProcSample(long RssKiB, int Threads, double CpuSeconds)
{
    private static readonly double ClockTicksPerSecond = ReadClockTicks();

    /// <summary>Reads /proc/PID/status (VmRSS, Threads) and /proc/PID/stat (utime + stime); null once the process is gone.</summary>
    public static ProcSample? Read(int pid)
    {
        try
        {
            long rss = 0;
            int threads = 0;
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                else if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = int.Parse(line[8..].Trim(), CultureInfo.InvariantCulture);
            }
            // proc(5): the command name in field 2 may hold spaces; count fields after its ')'.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long utime = long.Parse(fields[11], CultureInfo.InvariantCulture); // field 14
            long stime = long.Parse(fields[12], CultureInfo.InvariantCulture); // field 15
            return new ProcSample(rss, threads, (utime + stime) / ClockTicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Open file descriptors of the process (entries of /proc/PID/fd); null once it is gone.</summary>
    public static int? OpenFiles(int pid)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double ReadClockTicks()
    {
        const int ScClkTck = 2; // _SC_CLK_TCK in glibc's <unistd.h>
        long ticks = Native.Sysconf(ScClkTck);
        return ticks > 0 ? ticks : 100;
    }
}

/// <summary>The two libc calls the bench needs.</summary>
internal static partial class Native
{
    [LibraryImport("libc", EntryPoint = "sysconf")]
    internal static partial long Sysconf(int name);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
