using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Bench;

/// <summary>The benchmark's limit peer (bench/peers/limit, C): it sends the bytes sseflights sends,
/// and the load generator's smoke run passes against it, so the floor of the report stays honest.</summary>
[NonParallelizable]
public class LimitPeerTests
{
    // Two flights and three updates in the first 0.3 s, then silence: both servers reach the same board.
    private const string Scenario = """
        {
          "name": "limit peer bytes",
          "repeat": false,
          "flights": [
            { "flight": "B001", "origin": "Oslo", "arrival": "08:00", "state": "" },
            { "flight": "B002", "origin": "Rome", "arrival": "08:05", "state": "on time" }
          ],
          "timeline": [
            { "at": 0.1, "event": "flightStateUpdate", "data": { "flight": "B001", "state": "delayed" } },
            { "at": 0.2, "event": "flightStateUpdate", "data": { "flight": "B002", "state": "landing" } },
            { "at": 0.3, "event": "flightStateUpdate", "data": { "flight": "B001", "state": "landed" } }
          ]
        }
        """;

    private static readonly string BenchProject = Path.Combine(Scenarios.RepoRoot, "bench", "SseFlights.Bench", "SseFlights.Bench.csproj");
    private static readonly string BenchDll = Path.Combine(Scenarios.RepoRoot, "bench", "SseFlights.Bench", "bin", "Release", "net10.0", "sseflights-bench.dll");

    /// <summary>Builds the peer and the bench, and writes the test scenario and its frame list to a temp folder.</summary>
    private static async Task<(string Folder, string Peer)> PreparePeerAsync(CancellationToken ct)
    {
        string folder = Directory.CreateTempSubdirectory("sseflights-limit-").FullName;
        string scenario = Path.Combine(folder, "scenario.json");
        await File.WriteAllTextAsync(scenario, Scenario, ct);
        string peer = await BuildPeerAsync(folder);
        await BuildBenchAsync();
        var (framed, framesOutput) = await RunAsync("dotnet", [BenchDll, "frames", "--scenario", scenario], TimeSpan.FromMinutes(1));
        Assert.That(framed, Is.EqualTo(0), framesOutput);
        return (folder, peer);
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task LimitPeer_SameScenarioAsSseflights_SendsTheSameSnapshotAndResendBytes(CancellationToken ct)
    {
        var (folder, peer) = await PreparePeerAsync(ct);

        await using var sseflights = await ServerProcess.StartAsync(Scenario, "--history", "100");
        int port = FreePort.Reserve();
        using Process limit = StartPeer(peer, "--port", port.ToString(), "--frames", Path.Combine(folder, "scenario.frames"));
        try
        {
            using var limitHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
            await LastEventIdAsync(sseflights.Http, 3, ct);
            await LastEventIdAsync(limitHttp, 3, ct);

            (string ourHead, string ourSnapshot) = await OpenStreamAsync(sseflights.Port, null, "id: 3\n\n");
            (string limitHead, string limitSnapshot) = await OpenStreamAsync(port, null, "id: 3\n\n");
            Assert.That(limitSnapshot, Is.EqualTo(ourSnapshot));
            Assert.That(limitSnapshot, Is.EqualTo(
                "retry: 3000\n\nevent: snapshot\n" +
                """data: {"flights":[{"flight":"B001","origin":"Oslo","arrival":"08:00","state":"landed"},{"flight":"B002","origin":"Rome","arrival":"08:05","state":"landing"}]}""" +
                "\nid: 3\n\n"));
            foreach (string header in new[] { "Content-Type", "Cache-Control", "Transfer-Encoding", "Connection" })
            {
                Assert.That(Wire.Header(limitHead, header), Is.EqualTo(Wire.Header(ourHead, header)), header);
            }

            (_, string ourResend) = await OpenStreamAsync(sseflights.Port, "1", "id: 3\n\n");
            (_, string limitResend) = await OpenStreamAsync(port, "1", "id: 3\n\n");
            Assert.That(limitResend, Is.EqualTo(ourResend));
            Assert.That(limitResend, Is.EqualTo(
                "retry: 3000\n\n" +
                "event: flightStateUpdate\ndata: {\"flight\":\"B002\",\"state\":\"landing\"}\nid: 2\n\n" +
                "event: flightStateUpdate\ndata: {\"flight\":\"B001\",\"state\":\"landed\"}\nid: 3\n\n"));
        }
        finally
        {
            int code = await StopAsync(limit);
            Assert.That(code, Is.EqualTo(0), "the limit peer's exit code after SIGTERM");
        }
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task SmokeRun_AgainstTheLimitPeer_ConnectsEveryClientWithNoGaps(CancellationToken ct)
    {
        string folder = Directory.CreateTempSubdirectory("sseflights-limit-").FullName;
        string peer = await BuildPeerAsync(folder);
        await BuildBenchAsync();
        ct.ThrowIfCancellationRequested();

        var (code, output) = await RunAsync("dotnet", [BenchDll, "--smoke", "--kind", "limit", "--server", peer], TimeSpan.FromMinutes(1));

        string summary = output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? "";
        TestContext.Out.WriteLine(summary);
        Assert.That(code, Is.EqualTo(0), output);
        using JsonDocument result = JsonDocument.Parse(summary);
        JsonElement root = result.RootElement;
        Assert.That(root.GetProperty("server").GetString(), Is.EqualTo("limit"));
        Assert.That((root.GetProperty("ok").GetBoolean(), root.GetProperty("connected").GetInt32(), root.GetProperty("gaps").GetInt64(), root.GetProperty("duplicates").GetInt64()),
            Is.EqualTo((true, 20, 0L, 0L)));
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task LimitPeer_StartedWithRetry_OpensEveryStreamWithThatRetry(CancellationToken ct)
    {
        var (folder, peer) = await PreparePeerAsync(ct);

        int port = FreePort.Reserve();
        using Process limit = StartPeer(peer, "--port", port.ToString(), "--frames", Path.Combine(folder, "scenario.frames"), "--retry", "250");
        try
        {
            using var limitHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
            await LastEventIdAsync(limitHttp, 3, ct);

            (_, string snapshot) = await OpenStreamAsync(port, null, "id: 3\n\n");
            (_, string resend) = await OpenStreamAsync(port, "2", "id: 3\n\n");
            Assert.That(snapshot, Does.StartWith("retry: 250\n\nevent: snapshot\n"));
            Assert.That(resend, Is.EqualTo("retry: 250\n\nevent: flightStateUpdate\ndata: {\"flight\":\"B001\",\"state\":\"landed\"}\nid: 3\n\n"));
        }
        finally
        {
            int code = await StopAsync(limit);
            Directory.Delete(folder, recursive: true);
            Assert.That(code, Is.EqualTo(0), "the limit peer's exit code after SIGTERM");
        }
    }

    /// <summary>Compiles the peer as run.sh does; without gcc there is no peer to test.</summary>
    private static async Task<string> BuildPeerAsync(string folder)
    {
        string output = Path.Combine(folder, "limit-peer");
        string source = Path.Combine(Scenarios.RepoRoot, "bench", "peers", "limit", "limit-peer.c");
        (int code, string text) result;
        try
        {
            result = await RunAsync("gcc", ["-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-o", output, source], TimeSpan.FromMinutes(1));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("gcc is not installed: the limit peer cannot be built");
            throw;
        }

        Assert.That(result.code, Is.EqualTo(0), result.text);
        return output;
    }

    private static async Task BuildBenchAsync()
    {
        var (built, output) = await RunAsync("dotnet", ["build", "-c", "Release", "-nologo", "-v", "q", BenchProject], TimeSpan.FromMinutes(3));
        Assert.That(built, Is.EqualTo(0), output);
    }

    /// <summary>Waits until the server's /healthz reports <paramref name="id"/>; a server not listening yet (just started) reads as -1.</summary>
    private static async Task LastEventIdAsync(HttpClient http, long id, CancellationToken ct) =>
        await Eventually.ValueAsync(
            async () =>
            {
                try
                {
                    return (await http.GetFromJsonAsync<JsonElement>("healthz", ct)).GetProperty("lastEventId").GetInt64();
                }
                catch (HttpRequestException)
                {
                    return -1;
                }
            },
            last => last >= id, TimeSpan.FromSeconds(20), $"lastEventId {id}");

    /// <summary>Opens a stream (resuming after <paramref name="lastEventId"/> if given) and reads until
    /// <paramref name="until"/>: the response head and the decoded chunked payload so far.</summary>
    private static async Task<(string Head, string Payload)> OpenStreamAsync(int port, string? lastEventId, string until)
    {
        using RawConnection connection = await RawConnection.OpenAsync(port);
        await connection.SendAsync("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
            + (lastEventId is null ? "" : $"Last-Event-ID: {lastEventId}\r\n") + "\r\n");
        string text = await connection.ReadUntilAsync(until);
        // The chunk that holds the marker ends with CRLF right after it.
        text = await connection.ReadUntilAsync(until + "\r\n");
        (string head, string body) = Wire.Split(text);
        return (head, Wire.DecodeChunked(body).Payload);
    }

    private static Process StartPeer(string peer, params string[] args)
    {
        var info = new ProcessStartInfo(peer) { UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    /// <summary>Stops the peer with SIGTERM on its own PID and returns its exit code.</summary>
    private static async Task<int> StopAsync(Process process)
    {
        await Signals.TerminateAsync(process, TimeSpan.FromSeconds(10));
        return process.ExitCode;
    }

    private static Task<(int Code, string Output)> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return ChildProcess.RunAsync(info, timeout);
    }
}
