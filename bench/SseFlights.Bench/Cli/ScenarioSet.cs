using SseFlights.Bench.Scenario;

namespace SseFlights.Bench.Cli;

/// <summary>The bench scenarios and the parameters that shape them (wall-clock seconds unless
/// said otherwise). Each is a board of 20 flights and flightStateUpdate events on a fixed grid.</summary>
internal sealed record ScenarioSet(
    double SteadyRate,
    double SteadySeconds,
    double ThroughputRate,
    double ThroughputSeconds,
    double ThroughputSpeed,
    double ThroughputLead,
    double StormDropAt,
    double StormSeconds,
    int StallPadding,
    double SoakFirstDrop,
    double SoakDropEvery,
    double SoakSeconds,
    double CloseAfter,
    double ScaleDropAt,
    double ScaleSeconds)
{
    public const int Flights = 20;

    public static string SmokeFile(string directory) => Path.Combine(directory, "smoke.json");

    public void WriteAll(string directory)
    {
        // 10 events/s from 1 s on, long enough for 10,000 clients to connect before a 30 s window.
        ScenarioWriter.Write(Path.Combine(directory, "steady.json"), $"Bench {SteadyRate:0.##}/s", Flights,
            firstAt: 1, spacing: 1 / SteadyRate, count: (int)(SteadyRate * SteadySeconds), drops: []);
        // Scenario time runs ThroughputSpeed times faster than the wall clock: play with --speed ThroughputSpeed.
        // The lead leaves the clients time to connect before the flood.
        ScenarioWriter.Write(Path.Combine(directory, "throughput.json"), $"Bench throughput {ThroughputRate:0}/s at speed {ThroughputSpeed:0.##}", Flights,
            firstAt: ThroughputLead * ThroughputSpeed, spacing: ThroughputSpeed / ThroughputRate,
            count: (int)(ThroughputRate * ThroughputSeconds), drops: [], indented: false);
        // The steady timeline with each state padded to about StallPadding bytes, so a stalled client's
        // socket buffers fill within seconds even when the server gives each socket a large send buffer.
        ScenarioWriter.Write(Path.Combine(directory, "stall.json"), $"Bench {SteadyRate:0.##}/s, {StallPadding} B states", Flights,
            firstAt: 1, spacing: 1 / SteadyRate, count: (int)(SteadyRate * Math.Min(SteadySeconds, 180)), drops: [], statePadding: StallPadding);
        // A drop between two events at a known time, after the clients are in.
        ScenarioWriter.Write(Path.Combine(directory, "storm.json"), $"Bench storm, drop at {StormDropAt:0.##} s", Flights,
            firstAt: 1, spacing: 1 / SteadyRate, count: (int)(SteadyRate * StormSeconds), drops: [StormDropAt]);
        // The steady timeline with a drop every SoakDropEvery seconds from SoakFirstDrop to the end:
        // clients that wait the server's retry: before they reconnect (as browsers do) are cut,
        // wait, resume with Last-Event-ID and are resent what they missed, over and over.
        ScenarioWriter.Write(Path.Combine(directory, "soak.json"), $"Bench soak, drop every {SoakDropEvery:0.##} s", Flights,
            firstAt: 1, spacing: 1 / SteadyRate, count: (int)(SteadyRate * SoakSeconds), drops: SoakDrops());
        // The steady timeline for CloseAfter seconds, then closedConnection: every stream gets it and ends.
        ScenarioWriter.Write(Path.Combine(directory, "close.json"), $"Bench close after {CloseAfter:0.##} s", Flights,
            firstAt: 1, spacing: 1 / SteadyRate, count: (int)(SteadyRate * CloseAfter), drops: [], close: true);
        // The scale run: 1 event/s, long enough for 18,000 clients to connect and a window before the drop,
        // which comes 50 ms before an event is due (as storm.json's), so catch-up is the reconnect and resend.
        ScenarioWriter.Write(Path.Combine(directory, "scale.json"), $"Bench scale 1/s, drop at {ScaleDropAt:0.##} s", Flights,
            firstAt: 1, spacing: 1, count: (int)ScaleSeconds, drops: [ScaleDropAt]);
        WriteSmoke(directory);
    }

    private List<double> SoakDrops()
    {
        var drops = new List<double>();
        for (int k = 0; SoakFirstDrop + k * SoakDropEvery < 1 + SoakSeconds; k++) drops.Add(Math.Round(SoakFirstDrop + k * SoakDropEvery, 6));
        return drops;
    }

    /// <summary>20 events/s from 0.5 s for 30 s: a smoke run needs only its first few seconds.</summary>
    public static string WriteSmoke(string directory)
    {
        string path = SmokeFile(directory);
        ScenarioWriter.Write(path, "Bench smoke", Flights, firstAt: 0.5, spacing: 0.05, count: 600, drops: []);
        return path;
    }
}
