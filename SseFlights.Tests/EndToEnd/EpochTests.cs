using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>--epoch on the built program: bad values, --help, and two processes started apart serving the same bytes.</summary>
public class EpochTests
{

    private const string Repeating = """
        { "name": "Replicated", "repeat": true, "cycle": 1,
          "flights": [ { "flight": "A1", "origin": "Rome", "arrival": "10:10", "state": "" } ],
          "timeline": [
            { "at": 0.2, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "boarding" } },
            { "at": 0.4, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landing" } },
            { "at": 0.6, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landed" } },
            { "at": 0.8, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "gate" } } ] }
        """;

    [TestCase("--epoch", "yesterday", "sseflights: --epoch must be an ISO 8601 time with Z or an offset, such as 2026-12-01T08:00:00Z or 2026-12-01T09:00:00+01:00; got 'yesterday' (see --help)")]
    [TestCase("--epoch", "2026-12-01T08:00:00", "sseflights: --epoch must be an ISO 8601 time with Z or an offset, such as 2026-12-01T08:00:00Z or 2026-12-01T09:00:00+01:00; got '2026-12-01T08:00:00' (see --help)")]
    [TestCase("--epoch", "2026-13-01T08:00:00Z", "sseflights: --epoch must be an ISO 8601 time with Z or an offset, such as 2026-12-01T08:00:00Z or 2026-12-01T09:00:00+01:00; got '2026-13-01T08:00:00Z' (see --help)")]
    [TestCase("--skew", "-1", "sseflights: --skew must be a number of seconds from 0 to 60; got '-1' (see --help)")]
    [CancelAfter(30_000)]
    public async Task BadEpochOrSkew_PrintsOneLineAndExits2(string option, string value, string expected)
    {
        var (code, stdout, stderr) = await BuiltProgram.RunAsync(option, value);
        Assert.That((code, stderr, stdout), Is.EqualTo((2, expected + "\n", "")));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Help_ShowsTheEpochWithAnExample_AndTheSkewDefault()
    {
        var (code, stdout, _) = await BuiltProgram.RunAsync("--help");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("--epoch <TIME>").And.Contain("2026-12-01T08:00:00Z").And.Contain("--skew <SECONDS>"));
        Assert.That(stdout, Does.Match(@"--skew <SECONDS>[^\n]*(\n\s+[^-\s][^\n]*)*\[default: 2\]"));
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task TwoProcesses_SameEpoch_StartedApart_ReportTheSameEpochAndHash_AndSendIdenticalBytes()
    {
        string folder = Directory.CreateTempSubdirectory("sseflights-epoch-").FullName;
        string scenario = Path.Combine(folder, "replicated.json");
        await File.WriteAllTextAsync(scenario, Repeating);
        string sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(scenario)));
        string epoch = DateTimeOffset.UtcNow.AddHours(-30).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

        int portA = FreePort.Reserve();
        await using var a = BuiltProgram.Start("--port", portA.ToString(CultureInfo.InvariantCulture), "--scenario", scenario, "--epoch", epoch);
        await Readiness.RequireAsync(a, portA);
        int portB = FreePort.Reserve();
        await using var b = BuiltProgram.Start("--port", portB.ToString(CultureInfo.InvariantCulture), "--scenario", scenario, "--epoch", epoch);
        await Readiness.RequireAsync(b, portB);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var healthA = JsonDocument.Parse(await http.GetStringAsync($"http://localhost:{portA}/healthz"));
        using var healthB = JsonDocument.Parse(await http.GetStringAsync($"http://localhost:{portB}/healthz"));
        using var info = JsonDocument.Parse(await http.GetStringAsync($"http://localhost:{portB}/api/scenario"));
        var expectedEpoch = DateTimeOffset.Parse(epoch, CultureInfo.InvariantCulture).UtcDateTime;
        foreach (var health in new[] { healthA.RootElement, healthB.RootElement })
        {
            Assert.That((health.GetProperty("epoch").GetDateTime(), health.GetProperty("scenarioSha256").GetString()), Is.EqualTo((expectedEpoch, sha)));
        }

        Assert.That((info.RootElement.GetProperty("epoch").GetDateTime(), info.RootElement.GetProperty("sha256").GetString()), Is.EqualTo((expectedEpoch, sha)));

        // 30 hours at 5 ids a second: over half a million ids in, caught up at start.
        long newest = healthA.RootElement.GetProperty("lastEventId").GetInt64();
        Assert.That(newest, Is.GreaterThan(500_000));
        string from = (newest - 5).ToString(CultureInfo.InvariantCulture);
        using var httpA = new HttpClient { BaseAddress = new Uri($"http://localhost:{portA}/"), Timeout = TimeSpan.FromSeconds(20) };
        using var httpB = new HttpClient { BaseAddress = new Uri($"http://localhost:{portB}/"), Timeout = TimeSpan.FromSeconds(20) };
        await using var streamA = await SseConnection.OpenAsync(httpA, "events", from);
        await using var streamB = await SseConnection.OpenAsync(httpB, "events", from);
        await streamA.ReadAsync(10);
        await streamB.ReadAsync(10);

        string framesA = FirstFrames(streamA.RawText, 10), framesB = FirstFrames(streamB.RawText, 10);
        Assert.That(framesB, Is.EqualTo(framesA));
        // Ten frames from newest - 4 on (every fifth a cycle's snapshot): the resend, then live ones.
        Assert.That(framesA, Does.StartWith("retry: 3000\n\nevent: ").And.Contain($"\nid: {newest - 4}\n\n").And.EndWith($"\nid: {newest + 5}\n\n"));
        a.Signal(Signals.Sigterm);
        b.Signal(Signals.Sigterm);
        Assert.That((await a.WaitForExitAsync(TimeSpan.FromSeconds(10)), await b.WaitForExitAsync(TimeSpan.FromSeconds(10))), Is.EqualTo((0, 0)));
    }

    /// <summary>The retry frame and the first <paramref name="count"/> events, cut at a frame boundary.</summary>
    private static string FirstFrames(string text, int count) =>
        string.Concat(text.Split("\n\n").Take(count + 1).Select(frame => frame + "\n\n"));
}
