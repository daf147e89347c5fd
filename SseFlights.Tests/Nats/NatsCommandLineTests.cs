using SseFlights.Tests.Support;

namespace SseFlights.Tests.Nats;

/// <summary>The server's NATS options on the built program: one line and exit 2 for what cannot be right, and without --nats the NATS client is never loaded.</summary>
public class NatsCommandLineTests
{
    [TestCase("--nats-stream", "board")]
    [TestCase("--nats-creds", "user.creds")]
    [TestCase("--nats-max-msgs", "500")]
    [TestCase("--nats-snapshot-every", "50")]
    [CancelAfter(30_000)]
    public async Task Server_NatsOptionWithoutNats_OneLineAndExit2(string option, string value)
    {
        var (code, stdout, stderr) = await BuiltProgram.RunAsync(option, value);

        Assert.That((code, stdout, stderr), Is.EqualTo((2, "", $"sseflights: {option} only applies with --nats URL (see --help)\n")));
    }

    [TestCase(new[] { "--nats", "localhost:4222" }, "--nats must be a NATS server URL such as nats://localhost:4222 (or several, separated by commas); got 'localhost:4222'")]
    [TestCase(new[] { "--nats", "nats://127.0.0.1:4222", "--nats-stream", "" }, "--nats-stream must be 1 to 64 letters, digits, '-' or '_' (it names the stream, its subject NAME.events and the bucket NAME-board); got ''")]
    [TestCase(new[] { "--nats", "nats://127.0.0.1:4222", "--nats-max-msgs", "lots" }, "--nats-max-msgs must be a whole number from 1 to 1000000000; got 'lots'")]
    [TestCase(new[] { "--nats", "nats://127.0.0.1:4222", "--nats-snapshot-every", "0" }, "--nats-snapshot-every must be a whole number from 1 to 1000000; got '0'")]
    [TestCase(new[] { "--nats", "nats://127.0.0.1:4222", "--epoch", "2026-12-01T08:00:00Z" }, "--epoch cannot be used with --nats: the log, not the scenario's clock, gives the events and their timing")]
    [TestCase(new[] { "--nats", "nats://127.0.0.1:4222", "--speed", "2" }, "--speed cannot be used with --nats: the log, not the scenario's clock, gives the events and their timing")]
    [TestCase(new[] { "--nats", "nats://127.0.0.1:4222", "--skew", "1" }, "--skew cannot be used with --nats: the log, not the scenario's clock, gives the events and their timing")]
    [TestCase(new[] { "--nats", "nats://127.0.0.1:4222", "--control", "--control-token", "t", "--step" }, "--step cannot be used with --nats: the log, not the scenario's clock, gives the events and their timing")]
    [TestCase(new[] { "--nats", "nats://127.0.0.1:4222", "--nats-max-msgs", "500" }, "--nats-snapshot-every (1000) must be less than --nats-max-msgs (500): a replica that starts later needs a snapshot newer than the oldest message the stream keeps")]
    [TestCase(new[] { "--nats", "nats://127.0.0.1:4222", "--nats-snapshot-every", "200000" }, "--nats-snapshot-every (200000) must be less than --nats-max-msgs (100000): a replica that starts later needs a snapshot newer than the oldest message the stream keeps")]
    [CancelAfter(30_000)]
    public async Task Server_BadNatsValue_OneLineAndExit2(string[] args, string message)
    {
        var (code, stdout, stderr) = await BuiltProgram.RunAsync(args);

        Assert.That((code, stdout, stderr), Is.EqualTo((2, "", $"sseflights: {message} (see --help)\n")));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Help_ListsTheNatsOptionsWithTheirDefaults()
    {
        var (code, stdout, _) = await BuiltProgram.RunAsync("--help");

        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("--nats <URL>").And.Contain("--nats-creds <FILE>"));
        Assert.That(stdout, Does.Match(@"--nats-stream <NAME>[^\n]*(\n\s+[^-\s][^\n]*)*\[default: sseflights\]"));
        Assert.That(stdout, Does.Match(@"--nats-max-msgs <N>[^\n]*(\n\s+[^-\s][^\n]*)*\[default: 100000\]"));
        Assert.That(stdout, Does.Match(@"--nats-snapshot-every <N>[^\n]*(\n\s+[^-\s][^\n]*)*\[default: 1000\]"));
        Assert.That(stdout, Does.Contain("publish"));
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task Server_WithoutNats_NeverLoadsTheNatsClient_WhichThePublishCommandDoes()
    {
        await using var nats = await NatsServer.StartAsync();
        string folder = Directory.CreateTempSubdirectory("sseflights-nats-maps-").FullName;
        string loop = Path.Combine(folder, "loop.json");
        await File.WriteAllTextAsync(loop, """
            { "name": "Loop", "repeat": true, "cycle": 60, "flights": [],
              "timeline": [ { "at": 0, "comment": "tick" } ] }
            """);
        await using var server = await ServerProcess.StartAsync(Scenarios.Tutorial);
        await using var feeder = BuiltProgram.Start("publish", "--nats", nats.Url, "--scenario", loop);
        await feeder.WaitForOutputAsync("Publishing Loop", TimeSpan.FromSeconds(30));

        // Every assembly the runtime loads is mapped from its file; /proc lists the mappings.
        static string Maps(int pid) => File.ReadAllText($"/proc/{pid}/maps");

        Assert.That(Maps(feeder.Id), Does.Contain("/NATS.Client.Core.dll"), feeder.Stdout);
        Assert.That(Maps(server.Program.Id), Does.Not.Contain("NATS.Client"));
    }
}
