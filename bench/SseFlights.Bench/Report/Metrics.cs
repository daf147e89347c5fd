namespace SseFlights.Bench.Report;

/// <summary>The per-run numbers the report aggregates, by name (the names are the keys of
/// <see cref="Cell.Metrics"/>). A run that lacks a number (no server PID, no storm) is skipped for it.</summary>
internal static class Metrics
{
    public const string P50 = "p50Ms";
    public const string P99 = "p99Ms";
    public const string P999 = "p999Ms";
    public const string Max = "maxMs";
    public const string DeliveriesPerSecond = "deliveriesPerSecond";
    public const string ConnectSeconds = "connectSeconds";
    public const string RssPerStream = "rssPerStreamKiB";
    public const string RssIdle = "rssIdleKiB";
    public const string RssConnected = "rssConnectedKiB";
    public const string CpuPerMillion = "cpuSecondsPerMillionDeliveries";
    public const string AllocatedPerDelivery = "allocatedBytesPerDelivery";
    public const string CpuPercent = "serverCpuPercent";
    public const string ThreadsIdle = "threadsIdle";
    public const string ThreadsPeak = "threadsPeak";
    public const string BenchCpuPercent = "benchCpuPercent";
    public const string CatchUpP99 = "catchUpP99Ms";
    public const string CatchUpMax = "catchUpMaxMs";
    public const string StalledClosed = "stalledClosedByServer";
    public const string GcGen0 = "gcGen0";
    public const string GcGen1 = "gcGen1";
    public const string GcGen2 = "gcGen2";
    public const string GcWindowGen0 = "gcWindowGen0";
    public const string GcWindowGen1 = "gcWindowGen1";
    public const string GcWindowGen2 = "gcWindowGen2";
    public const string GcGen2Buffers = "gcGen2CausedByBuffers";
    public const string GcWindowGen2Buffers = "gcWindowGen2CausedByBuffers";
    public const string SoakReconnects = "soakReconnects";
    public const string SoakReconnectsPerSecond = "soakReconnectsPerSecond";
    public const string SoakReconnectFailures = "soakReconnectFailures";
    public const string SoakCatchUpP99 = "soakCatchUpP99Ms";
    public const string SoakCatchUpMax = "soakCatchUpMaxMs";
    public const string SoakCutBeforeCaughtUp = "soakCutBeforeCaughtUp";
    public const string SoakRetry = "soakRetryMs";
    public const string SoakDropEvery = "soakDropEverySeconds";
    public const string AllocatedPerReconnect = "allocatedBytesPerReconnect";
    public const string CloseP50 = "closeP50Ms";
    public const string CloseP99 = "closeP99Ms";
    public const string CloseMax = "closeMaxMs";
    public const string CloseOverOrdinary = "closeP50OverOrdinaryP50";
    public const string OpenFilesIdle = "serverOpenFilesIdle";
    public const string OpenFilesConnected = "serverOpenFilesConnected";
    public const string BenchOpenFiles = "benchOpenFiles";

    /// <summary>Metrics where more is better; for the rest less is.</summary>
    public static bool HigherIsBetter(string metric) => metric is DeliveriesPerSecond or SoakReconnectsPerSecond;

    public static IEnumerable<(string Name, double? Value)> Of(RunResult r)
    {
        yield return (P50, r.Latency.P50Ms);
        yield return (P99, r.Latency.P99Ms);
        yield return (P999, r.Latency.P999Ms);
        yield return (Max, r.Latency.MaxMs);
        yield return (DeliveriesPerSecond, r.Connected > 0 ? r.DeliveriesPerSecond : null);
        yield return (ConnectSeconds, r.Connected > 0 ? r.ConnectSeconds : null);
        yield return (RssPerStream, r.ServerStats?.RssPerStreamKiB);
        yield return (RssIdle, r.ServerStats?.RssIdleKiB);
        yield return (RssConnected, r.ServerStats?.RssConnectedKiB);
        yield return (CpuPerMillion, r.ServerStats?.CpuSecondsPerMillionDeliveries);
        yield return (AllocatedPerDelivery, r.ServerStats?.AllocatedBytesPerDelivery);
        yield return (CpuPercent, r.ServerStats?.CpuPercent);
        yield return (ThreadsIdle, r.ServerStats?.ThreadsIdle);
        yield return (ThreadsPeak, r.ServerStats?.ThreadsPeak);
        yield return (BenchCpuPercent, r.Connected > 0 ? r.Bench.CpuPercent : null);
        yield return (CatchUpP99, r.Storm?.CatchUpP99Ms);
        // A storm run where someone never caught up has no "all caught up" time: count it as the timeout.
        yield return (CatchUpMax, r.Storm is { } s ? s.AllCaughtUpSeconds * 1000 ?? double.PositiveInfinity : null);
        yield return (StalledClosed, r.StalledClients?.ClosedByServer);
        // Over the whole run (connect burst, window, drain): see GcCounts.
        IReadOnlyList<int>? gc = r.ServerStats?.Gc?.Run;
        yield return (GcGen0, gc?[0]);
        yield return (GcGen1, gc?[1]);
        yield return (GcGen2, gc?[2]);
        IReadOnlyList<int>? window = r.ServerStats?.Gc?.Window is { Count: 3 } w ? w : null;
        yield return (GcWindowGen0, window?[0]);
        yield return (GcWindowGen1, window?[1]);
        yield return (GcWindowGen2, window?[2]);
        yield return (GcGen2Buffers, GcCounts.CausedByBuffers(r.ServerStats?.Gc?.Gen2ReasonsRun));
        yield return (GcWindowGen2Buffers, GcCounts.CausedByBuffers(r.ServerStats?.Gc?.Gen2ReasonsWindow));
        yield return (SoakReconnects, r.Soak?.Reconnects);
        yield return (SoakReconnectsPerSecond, r.Soak?.ReconnectsPerSecond);
        yield return (SoakReconnectFailures, r.Soak?.ReconnectFailures);
        yield return (SoakCatchUpP99, r.Soak?.CatchUpP99Ms);
        yield return (SoakCatchUpMax, r.Soak?.CatchUpMaxMs);
        yield return (SoakCutBeforeCaughtUp, r.Soak?.CutBeforeCaughtUp);
        yield return (SoakRetry, r.Soak?.RetryMs);
        yield return (SoakDropEvery, r.Soak?.DropEverySeconds);
        yield return (AllocatedPerReconnect, r.Soak?.AllocatedBytesPerReconnect);
        yield return (CloseP50, r.Close?.P50Ms);
        yield return (CloseP99, r.Close?.P99Ms);
        yield return (CloseMax, r.Close?.MaxMs);
        yield return (CloseOverOrdinary, r.Close?.P50OverOrdinaryP50);
        yield return (OpenFilesIdle, r.ServerStats?.OpenFilesIdle);
        yield return (OpenFilesConnected, r.ServerStats?.OpenFilesConnected);
        yield return (BenchOpenFiles, r.Bench.OpenFiles);
    }
}
