using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SseFlights.Scenario;
using SseFlights.Tests.Browser;

namespace SseFlights.Tests.Support;

/// <summary>
/// An npm client library under node, run by one of the pack scripts in Browser/npm/
/// (eventsource-client.mjs, fetch-event-source-client.mjs). Each speaks the same protocol: started
/// with its deadline in ms, it loads its package and prints "ready"; told the request on stdin as one JSON
/// line, <c>{ "url", "method", "headers", "body" }</c>, it plays the case and, once the client has stopped
/// (or the deadline has passed), prints one JSON line:
/// <c>{ "events": [{ "type", "data", "lastEventId" }], "reconnectDelays": [ms, ...], "errors": [text, ...], "timedOut": bool }</c>.
/// Call <see cref="NpmPackages.EnsureInstalledAsync"/> first. Failures are exceptions, not Asserts,
/// as runs go on outside the test that awaits them.
/// </summary>
internal sealed class NodePackClient : IPackClient
{
    private readonly Process _process;
    private readonly string _script;
    private readonly Task<string> _stderr;
    private bool _disposed;

    private NodePackClient(Process process, string script)
    {
        _process = process;
        _script = script;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Starts node with <paramref name="script"/>'s package loaded; it connects nowhere until <see cref="PlayAsync"/>.</summary>
    public static async Task<NodePackClient> StartAsync(string script, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(NpmPackages.Folder, script));
        info.ArgumentList.Add(((int)deadline.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        var client = new NodePackClient(Process.Start(info)!, script);
        try
        {
            string? first = await client._process.StandardOutput.ReadLineAsync(cancellationToken);
            if (first != "ready")
            {
                throw new InvalidOperationException($"{script} did not start: {first}{await client._stderr}");
            }
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return client;
    }

    /// <summary>
    /// Connects to <paramref name="stream"/> with <paramref name="request"/>'s method, headers and body, and returns
    /// what the package did, once it has stopped; the retry is the last reconnection delay it scheduled.
    /// </summary>
    public async Task<ClientReport> PlayAsync(Uri stream, ClientRequest request, CancellationToken cancellationToken)
    {
        string asked = JsonSerializer.Serialize(new { url = stream.AbsoluteUri, method = request.Method, headers = request.Headers, body = request.Body });
        await _process.StandardInput.WriteLineAsync(asked.AsMemory(), cancellationToken);
        await _process.StandardInput.FlushAsync(cancellationToken);
        string output = await _process.StandardOutput.ReadToEndAsync(cancellationToken);
        await _process.WaitForExitAsync(cancellationToken);
        string? line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (_process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"{_script} exited with {_process.ExitCode}: {output}{await _stderr}");
        }

        using var report = JsonDocument.Parse(line);
        var root = report.RootElement;
        int[] delays = [.. root.GetProperty("reconnectDelays").EnumerateArray().Select(d => d.GetInt32())];
        string[] errors = [.. root.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!)];
        return new ClientReport(
            [.. root.GetProperty("events").EnumerateArray().Select(e => new ExpectedEvent(e.GetProperty("type").GetString()!, e.GetProperty("data").GetString()!, e.GetProperty("lastEventId").GetString()!))],
            delays.Length > 0 ? RetryReading.Read(delays[^1]) : null,
            !root.GetProperty("timedOut").GetBoolean(),
            $"reconnection delays scheduled (ms): {string.Join(", ", delays)}; errors: {string.Join(" | ", errors)}");
    }

    /// <summary>Kills node if it still runs (by its own process); safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
