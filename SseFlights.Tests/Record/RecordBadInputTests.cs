using SseFlights.Cli;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Record;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Record;

/// <summary>What record says when the URL gives no event stream, or an argument is wrong: one line, never a stack trace.</summary>
public class RecordBadInputTests
{
    private static async Task<(int Code, string Stdout, string Stderr)> RecordAsync(string url, TimeProvider? time = null)
    {
        using var http = RecordCommand.CreateHttpClient();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await new RecordCommand(http, time ?? TimeProvider.System, stdout, stderr).RunAsync(new RecordOptions(new Uri(url), [], null, null, null), CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Record_UnreachableUrl_OneLineAndExit1()
    {
        int port = FreePort.Reserve();

        var (code, stdout, stderr) = await RecordAsync($"http://127.0.0.1:{port}/events");

        Assert.That((code, stdout), Is.EqualTo((1, "")));
        Assert.That(stderr, Is.EqualTo($"sseflights record: cannot connect to http://127.0.0.1:{port}/events: Connection refused (127.0.0.1:{port})" + Environment.NewLine));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Record_Non2xx_OneLineAndExit1()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial);

        var (code, stdout, stderr) = await RecordAsync(server.BaseUrl + "nothing-here");

        Assert.That((code, stdout), Is.EqualTo((1, "")));
        Assert.That(stderr, Is.EqualTo($"sseflights record: {server.BaseUrl}nothing-here answered 404 Not Found; an event stream answers 200" + Environment.NewLine));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Record_WrongContentType_OneLineAndExit1()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial);

        var (code, _, stderr) = await RecordAsync(server.BaseUrl + "healthz");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Is.EqualTo($"sseflights record: {server.BaseUrl}healthz answered with Content-Type application/json; charset=utf-8; an event stream is text/event-stream" + Environment.NewLine));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Record_204AfterTheBoardClosed_OneLineAndExit1()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time);
        time.Advance(TimeSpan.FromSeconds(12));
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("closed").GetBoolean(), TimeSpan.FromSeconds(10), "the board to close");

        var (code, stdout, stderr) = await RecordAsync(server.BaseUrl + "events", time);

        Assert.That((code, stdout), Is.EqualTo((1, "")));
        Assert.That(stderr, Is.EqualTo($"sseflights record: {server.BaseUrl}events answered 204 No Content: the stream has ended (or has not begun), so there is nothing to record" + Environment.NewLine));
    }

    [TestCase("NoColon", "--header must be \"Name: value\" with a header name of letters, digits or !#$%&'*+-.^_`|~; got 'NoColon'")]
    [TestCase(": value", "--header must be \"Name: value\" with a header name of letters, digits or !#$%&'*+-.^_`|~; got ': value'")]
    [TestCase("Bad Name: value", "--header must be \"Name: value\" with a header name of letters, digits or !#$%&'*+-.^_`|~; got 'Bad Name: value'")]
    [CancelAfter(30_000)]
    public async Task Record_MalformedHeader_OneLineAndExit2(string header, string message)
    {
        var (code, stdout, stderr) = await BuiltProgram.RunAsync("record", "http://127.0.0.1:9/events", "--header", header);

        Assert.That((code, stdout), Is.EqualTo((2, "")));
        Assert.That(stderr, Is.EqualTo($"sseflights: {message} (see --help)\n"));
    }

    [TestCase("not a url", "URL must be an absolute http:// or https:// address such as http://localhost:5000/events; got 'not a url'")]
    [TestCase("ftp://example.com/", "URL must be an absolute http:// or https:// address such as http://localhost:5000/events; got 'ftp://example.com/'")]
    [CancelAfter(30_000)]
    public async Task Record_BadUrl_OneLineAndExit2(string url, string message)
    {
        var (code, _, stderr) = await BuiltProgram.RunAsync("record", url);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Is.EqualTo($"sseflights: {message} (see --help)\n"));
    }

    [TestCase("--duration", "0", "--duration must be a number of seconds greater than 0 (at most 31536000); got '0'")]
    [TestCase("--events", "1.5", "--events must be a whole number from 1 to 1000000; got '1.5'")]
    [TestCase("--events", "0", "--events must be a whole number from 1 to 1000000; got '0'")]
    [CancelAfter(30_000)]
    public async Task Record_BadLimit_OneLineAndExit2(string option, string value, string message)
    {
        var (code, _, stderr) = await BuiltProgram.RunAsync("record", "http://127.0.0.1:9/events", option, value);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Is.EqualTo($"sseflights: {message} (see --help)\n"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Record_BuiltProgramUnreachable_OneLineNoStackTrace()
    {
        int port = FreePort.Reserve();

        var (code, _, stderr) = await BuiltProgram.RunAsync("record", $"http://127.0.0.1:{port}/events");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Is.EqualTo($"sseflights record: cannot connect to http://127.0.0.1:{port}/events: Connection refused (127.0.0.1:{port})\n"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Record_Sigterm_WritesWhatItHasAndExits0()
    {
        // On a fake clock, so the board the recorder joins is the scenario's first whatever the machine's load.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        string played = Scenarios.Busy(count: 1000, spacing: 0.05);
        await using var server = await TestServer.StartAsync(played, time);
        await using var recorder = BuiltProgram.Start("record", server.BaseUrl + "events");
        await Eventually.TrueAsync(() => recorder.Stderr.Contains("sseflights record: recording", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "the recorder to connect");
        time.Advance(TimeSpan.FromSeconds(0.6));
        // Written to the recorder's socket (the snapshot and ten events), so received whether or not its process has read them yet.
        await Eventually.ValueAsync(() => MetricsSamples.GetAsync(server.Http), m => m["sseflights_deliveries_total"] >= 11, TimeSpan.FromSeconds(20), "the snapshot and ten events written");

        recorder.Signal(Signals.Sigterm);

        Assert.That(await recorder.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.EqualTo(0), recorder.Stderr);
        var scenario = SseFlights.Scenario.ScenarioLoader.Parse(System.Text.Encoding.UTF8.GetBytes(recorder.Stdout), "stdout");
        Assert.That(scenario.Flights.Select(f => f.Code), Is.EqualTo(new[] { "F0", "F1", "F2" }));
        // What had reached the recorder's process by the signal: none to all of the events written, in order
        // (how many is the machine's scheduling; ArrivedOnlyBodyTests pin down what a stop keeps).
        var due = SseFlights.Scenario.ScenarioLoader.Parse(System.Text.Encoding.UTF8.GetBytes(played), "played").Timeline
            .Where(e => e.At <= 0.6).Select(e => (e.EventName, e.Data)).ToList();
        var kept = scenario.Timeline.Select(e => (e.EventName, e.Data)).ToList();
        Assert.That(kept, Is.EqualTo(due.Take(kept.Count)), $"{kept.Count} events kept: the first of the {due.Count} played, each exactly, in order");
        Assert.That(recorder.Stderr, Does.EndWith("stopped because it was interrupted\n"));
    }
}
