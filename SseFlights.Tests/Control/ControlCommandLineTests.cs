using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Control;

/// <summary>--control on the built program: where the token comes from, and that it is printed only when made up.</summary>
public class ControlCommandLineTests
{
    private static async Task<HttpStatusCode> StateAsync(ServerProcess server, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/control");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await server.Http.SendAsync(request);
        return response.StatusCode;
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Control_WithoutAToken_PrintsARandomOneOnceOnStderr_AndItWorks()
    {
        await using var server = await ServerProcess.StartAsync(Scenarios.Tutorial, "--control");

        var printed = Regex.Matches(server.Program.Stderr, "control API token: ([A-Za-z0-9_-]{43})");
        Assert.That(printed, Has.Count.EqualTo(1), server.Program.Stderr);
        Assert.That(await StateAsync(server, printed[0].Groups[1].Value), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StateAsync(server, "guess"), Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Control_WithAGivenToken_UsesItAndPrintsNothing()
    {
        await using var server = await ServerProcess.StartAsync(Scenarios.Tutorial, "--control", "--control-token", "s3cret");

        Assert.That(server.Program.Stderr, Does.Not.Contain("token"));
        Assert.That(await StateAsync(server, "s3cret"), Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Control_TokenFromTheEnvironment_IsUsedAndPrintedNowhere()
    {
        await using var server = await ServerProcess.StartWithEnvironmentAsync(
            new Dictionary<string, string> { ["SSEFLIGHTS_CONTROL_TOKEN"] = "from-env" }, Scenarios.Tutorial, "--control");

        Assert.That(server.Program.Stderr, Does.Not.Contain("token"));
        Assert.That(await StateAsync(server, "from-env"), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StateAsync(server, "s3cret"), Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Step_WithoutControl_IsRefusedWithOneLineAndExit2()
    {
        var (code, stdout, stderr) = await BuiltProgram.RunAsync("--step", "--port", "5999");

        Assert.That((code, stdout, stderr), Is.EqualTo((2, "", "sseflights: --step only applies with --control: the clock it stands still is moved by POST /api/control/advance (see --help)\n")));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Control_WithAnEpoch_IsRefusedWithOneLineAndExit2()
    {
        var (code, stdout, stderr) = await BuiltProgram.RunAsync("--control", "--epoch", "2026-12-01T08:00:00Z", "--port", "5999");

        Assert.That((code, stdout, stderr), Is.EqualTo((2, "", "sseflights: --control cannot be used with --epoch: replicas must play the same frames, and a control call would change only this one (see --help)\n")));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Control_EmptyToken_OneLineAndExit2()
    {
        var (code, _, stderr) = await BuiltProgram.RunAsync("--control", "--control-token", " ");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Is.EqualTo("sseflights: --control-token must be a non-empty token without spaces at its ends or control characters (see --help)\n"));
    }
}
