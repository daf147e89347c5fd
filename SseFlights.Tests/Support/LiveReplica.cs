using System.Net;
using System.Text.Json;

namespace SseFlights.Tests.Support;

/// <summary>
/// The built program as a live replica: <c>--nats URL</c> with a scenario file (the initial board and
/// the custom events), on a free port or a given one, from a folder of its own, stopped by its PID. It
/// is ready once /healthz answers 200, which a replica catching up with its log does not.
/// </summary>
internal sealed class LiveReplica(BuiltProgram program, int port, string folder) : RunningProgram(program, port, "127.0.0.1", folder)
{
    /// <summary>Starts a replica and waits until it says it is live (listening); <paramref name="ready"/> also waits until /healthz is 200.</summary>
    public static async Task<LiveReplica> StartAsync(string scenarioJson, string natsUrl, int? port = null, bool ready = true, params string[] options)
    {
        string folder = Directory.CreateTempSubdirectory("sseflights-live-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "scenario.json"), scenarioJson);
        for (int attempt = 1; ; attempt++)
        {
            int chosen = port ?? FreePort.Reserve();
            var program = BuiltProgram.StartExecutable(
                BuiltProgram.ExecutablePath, folder, [.. options, "--nats", natsUrl, "--port", chosen.ToString(), "--scenario", "scenario.json"]);
            await program.WaitForOutputAsync(Readiness.LiveLine, Readiness.DefaultTimeout);
            if (program.Stdout.Contains(Readiness.LiveLine, StringComparison.Ordinal))
            {
                var replica = new LiveReplica(program, chosen, folder);
                try
                {
                    if (ready)
                    {
                        await replica.WaitReadyAsync(TimeSpan.FromSeconds(60));
                    }
                }
                catch
                {
                    // Never leave a replica running behind a failed start.
                    await replica.DisposeAsync();
                    throw;
                }

                return replica;
            }

            await program.DisposeAsync();
            if (attempt == 3 || port is not null)
            {
                DeleteFolder(folder);
                Assert.Fail($"the live replica did not start:\n{program.Stdout}\n{program.Stderr}");
            }
        }
    }

    /// <summary>/healthz's status code and body; a replica that does not answer fails the test with what it printed.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> HealthAsync()
    {
        try
        {
            using var response = await Http.GetAsync("healthz");
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new AssertionException($"/healthz on port {Port} did not answer: {ex.Message}\nstdout:\n{Program.Stdout}\nstderr:\n{Program.Stderr}", ex);
        }
    }

    /// <summary>The last sequence of the log this replica has applied.</summary>
    public async Task<long> LogSequenceAsync() => (await HealthAsync()).Body.GetProperty("logSequence").GetInt64();

    public Task WaitReadyAsync(TimeSpan timeout) =>
        Eventually.ValueAsync(async () => (await HealthAsync()).Status, s => s == HttpStatusCode.OK, timeout, $"/healthz 200 on the replica on port {Port}");

    /// <summary>Until this replica has applied <paramref name="sequence"/>.</summary>
    public Task WaitForSequenceAsync(long sequence, TimeSpan timeout) =>
        Eventually.ValueAsync(LogSequenceAsync, s => s >= sequence, timeout, $"sequence {sequence} applied on port {Port}");

    /// <summary>The lines of its output that contain <paramref name="text"/>.</summary>
    public IReadOnlyList<string> Lines(string text) =>
        [.. Program.Stdout.Split('\n').Where(l => l.Contains(text, StringComparison.Ordinal))];
}
