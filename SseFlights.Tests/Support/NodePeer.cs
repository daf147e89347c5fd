using System.Diagnostics;
using System.Text;

namespace SseFlights.Tests.Support;

/// <summary>The bench's Node.js peer (bench/peers/node/server.js) serving a scenario on a free loopback port: an SSE server not written in C#.</summary>
internal sealed class NodePeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodePeer(Process process, int port)
    {
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public string EventsUrl => $"http://127.0.0.1:{Port}/events";

    public string Output { get { lock (_output) { return _output.ToString(); } } }

    /// <summary>Starts the peer on a free port; with <paramref name="clockOnFirstClient"/> its scenario clock starts when the first stream opens, not at start-up.</summary>
    public static async Task<NodePeer> StartAsync(string scenarioJson, bool clockOnFirstClient = false)
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("sseflights-node-").FullName, "scenario.json");
        await File.WriteAllTextAsync(file, scenarioJson);
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort.Reserve();
            var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string arg in new[] { Path.Combine(Scenarios.RepoRoot, "bench", "peers", "node", "server.js"), "--port", port.ToString(), "--host", "127.0.0.1", "--scenario", file, "--clock", clockOnFirstClient ? "first-client" : "start" })
            {
                info.ArgumentList.Add(arg);
            }

            var peer = new NodePeer(Process.Start(info)!, port);
            try
            {
                await Eventually.TrueAsync(() => peer.Output.Contains("listening", StringComparison.Ordinal) || peer._process.HasExited, TimeSpan.FromSeconds(20), "the node peer to listen");
            }
            catch
            {
                await peer.DisposeAsync();
                throw;
            }

            if (!peer._process.HasExited)
            {
                return peer;
            }

            await peer.DisposeAsync();
            if (attempt == 3)
            {
                Assert.Fail("the node peer did not start: " + peer.Output);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
