using System.Diagnostics;
using System.Text.Json;
using SseFlights.Scenario;
using SseFlights.Tests.Browser;

namespace SseFlights.Tests.Support;

/// <summary>
/// The npm <c>eventsource</c> package under node (Browser/npm/eventsource-client.mjs): started and
/// loaded before the server, then told the stream URL; it reports what it dispatched once its source
/// is CLOSED. Call <see cref="NpmPackages.EnsureInstalledAsync"/> first. Failures are exceptions,
/// not Asserts, as runs may go on outside the test that awaits them.
/// </summary>
internal sealed class NodeEventSource : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private bool _disposed;

    private NodeEventSource(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Starts node with the package loaded; it connects nowhere until <see cref="PlayAsync"/>.</summary>
    public static async Task<NodeEventSource> StartAsync(TimeSpan deadline, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(NpmPackages.Folder, "eventsource-client.mjs"));
        info.ArgumentList.Add(((int)deadline.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var client = new NodeEventSource(Process.Start(info)!);
        try
        {
            string? first = await client._process.StandardOutput.ReadLineAsync(cancellationToken);
            if (first != "ready")
            {
                throw new InvalidOperationException($"the eventsource runner did not start: {first}{await client._stderr}");
            }
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return client;
    }

    /// <summary>Connects to <paramref name="url"/> and returns what the package did, once its source is CLOSED.</summary>
    public async Task<NodeEventSourceRun> PlayAsync(string url, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync(url.AsMemory(), cancellationToken);
        await _process.StandardInput.FlushAsync(cancellationToken);
        string output = await _process.StandardOutput.ReadToEndAsync(cancellationToken);
        await _process.WaitForExitAsync(cancellationToken);
        string? line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (_process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"the eventsource runner exited with {_process.ExitCode}: {output}{await _stderr}");
        }

        using var report = JsonDocument.Parse(line);
        var root = report.RootElement;
        return new NodeEventSourceRun(
            [.. root.GetProperty("events").EnumerateArray().Select(e => new ExpectedEvent(e.GetProperty("type").GetString()!, e.GetProperty("data").GetString()!, e.GetProperty("lastEventId").GetString()!))],
            [.. root.GetProperty("reconnectDelays").EnumerateArray().Select(d => d.GetInt32())],
            [.. root.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!)],
            root.GetProperty("timedOut").GetBoolean());
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

/// <summary>What the package did: every event it dispatched, each reconnection delay it scheduled, the text of each error event, and whether it was still going at the deadline.</summary>
internal sealed record NodeEventSourceRun(IReadOnlyList<ExpectedEvent> Events, IReadOnlyList<int> ReconnectDelays, IReadOnlyList<string> Errors, bool TimedOut);
