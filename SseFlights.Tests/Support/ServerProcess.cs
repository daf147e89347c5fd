using System.Text.Json;

namespace SseFlights.Tests.Support;

/// <summary>The built program serving a scenario on a free port, with its thread count and RSS readable from /proc.</summary>
internal sealed class ServerProcess(BuiltProgram program, int port, string folder) : RunningProgram(program, port, "localhost", folder)
{
    public static Task<ServerProcess> StartAsync(string scenarioJson, params string[] options) =>
        StartExecutableAsync(BuiltProgram.ExecutablePath, scenarioJson, null, options);

    /// <summary>Starts on <paramref name="fixedPort"/> when given (a restart on the same port), else on a free one.</summary>
    public static Task<ServerProcess> StartAsync(string scenarioJson, int? fixedPort, params string[] options) =>
        StartExecutableAsync(BuiltProgram.ExecutablePath, scenarioJson, fixedPort, options);

    /// <summary>
    /// Runs <paramref name="executable"/> as the README says, <c>--port P --scenario scenario.json</c>,
    /// from a folder that holds only that scenario file.
    /// </summary>
    public static Task<ServerProcess> StartExecutableAsync(string executable, string scenarioJson, int? fixedPort, params string[] options) =>
        StartExecutableAsync(executable, scenarioJson, fixedPort, null, options);

    /// <summary>The built program with its streams on the given write path ("direct" or "listener", the SSEFLIGHTS_WRITE_PATH switch).</summary>
    public static Task<ServerProcess> StartOnWritePathAsync(string writePath, string scenarioJson, params string[] options) =>
        StartWithEnvironmentAsync(new Dictionary<string, string> { ["SSEFLIGHTS_WRITE_PATH"] = writePath }, scenarioJson, options);

    /// <summary>The built program with these environment variables set (the switches that are not options).</summary>
    public static Task<ServerProcess> StartWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, string scenarioJson, params string[] options) =>
        StartExecutableAsync(BuiltProgram.ExecutablePath, scenarioJson, null, environment, options);

    private static async Task<ServerProcess> StartExecutableAsync(
        string executable, string scenarioJson, int? fixedPort, IReadOnlyDictionary<string, string>? environment, params string[] options)
    {
        string folder = Directory.CreateTempSubdirectory("sseflights-scenario-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "scenario.json"), scenarioJson);
        for (int attempt = 1; ; attempt++)
        {
            int port = fixedPort ?? FreePort.Reserve();
            var program = BuiltProgram.StartExecutable(executable, folder, [.. options, "--port", port.ToString(), "--scenario", "scenario.json"], environment);
            try
            {
                if (await Readiness.WaitAsync(program, port))
                {
                    return new ServerProcess(program, port, folder);
                }
            }
            catch
            {
                // Never leave a server running behind a failed start.
                await program.DisposeAsync();
                DeleteFolder(folder);
                throw;
            }

            await program.DisposeAsync();
            if (attempt == 3)
            {
                DeleteFolder(folder);
                Assert.Fail("the server did not start: " + program.Stderr);
            }
        }
    }

    public int Threads() => ProcStatus("Threads:");

    public long RssKib() => ProcStatus("VmRSS:");

    /// <summary>/healthz; a server that does not answer fails the test with what it printed.</summary>
    public async Task<JsonElement> HealthAsync()
    {
        try
        {
            return JsonDocument.Parse(await Http.GetStringAsync("healthz")).RootElement.Clone();
        }
        catch (TaskCanceledException ex)
        {
            throw new AssertionException($"/healthz on port {Port} did not answer: {ex.Message}\nstdout:\n{Program.Stdout}\nstderr:\n{Program.Stderr}", ex);
        }
    }

    public async Task<int> ClientsAsync() => (await HealthAsync()).GetProperty("clients").GetInt32();

    private int ProcStatus(string field)
    {
        string line = File.ReadLines($"/proc/{Program.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return int.Parse(line[field.Length..].Trim().Split(' ')[0]);
    }
}
