using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SseFlights.Tests.Browser.Firefox;

/// <summary>
/// Debian's Firefox ESR (/usr/bin/firefox-esr), headless, driven over WebDriver BiDi by npm
/// puppeteer-core through Browser/npm/firefox-driver.mjs under node: no geckodriver and no
/// downloaded browser. One JSON command a line on the script's stdin, answered by id on its
/// stdout, with what the pages report (console, errors, requests) routed to each page's handler.
/// One per test fixture, like <see cref="Chromium"/>; the node process and its Firefox are ours,
/// stopped with quit, or killed by our own process handle if they linger.
/// </summary>
internal sealed class Firefox : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/firefox-esr";

    private readonly Process _process;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentDictionary<int, Action<JsonElement>> _pageEvents = new();
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private Task _reading = Task.CompletedTask;
    private int _nextId;

    private Firefox(Process process) => _process = process;

    /// <summary>What the browser says it is, e.g. "firefox/153.8.0".</summary>
    public string Version { get; private set; } = "";

    /// <param name="acceptInsecureCerts">
    /// For a test that serves its own certificate: this browser's profile accepts certificates it
    /// cannot verify (WebDriver's acceptInsecureCerts). Debian has no certutil to import a test CA
    /// into a Firefox profile, and Firefox on Linux reads no system store.
    /// </param>
    public static async Task<Firefox> LaunchAsync(bool acceptInsecureCerts = false)
    {
        Assert.That(File.Exists(ExecutablePath), Is.True, $"{ExecutablePath} is missing: apt-get install firefox-esr (test.sh does)");
        await NpmPackages.EnsureInstalledAsync();
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(NpmPackages.Folder, "firefox-driver.mjs"));
        info.ArgumentList.Add(JsonSerializer.Serialize(new { acceptInsecureCerts }));
        var firefox = new Firefox(Process.Start(info)!);
        firefox._process.ErrorDataReceived += (_, e) =>
        {
            lock (firefox._stderr)
            {
                firefox._stderr.AppendLine(e.Data);
            }
        };
        firefox._process.BeginErrorReadLine();
        try
        {
            using var launch = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? ready = await firefox._process.StandardOutput.ReadLineAsync(launch.Token);
            using var message = JsonDocument.Parse(ready ?? throw new InvalidOperationException("firefox-driver.mjs ended: " + firefox.Stderr));
            firefox.Version = message.RootElement.GetProperty("version").GetString()!;
        }
        catch
        {
            await firefox.DisposeAsync();
            throw;
        }

        firefox._reading = firefox.ReadAsync();
        return firefox;
    }

    private string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Sends <paramref name="op"/> with <paramref name="fields"/> and returns its value; an error in the browser throws <see cref="FirefoxException"/>.</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(5);

    public async Task<JsonElement> SendAsync(string op, object? fields = null)
    {
        var command = fields is null ? new JsonObject() : JsonSerializer.SerializeToNode(fields)!.AsObject();
        int id = Interlocked.Increment(ref _nextId);
        command["id"] = id;
        command["op"] = op;
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        await WriteLineAsync(command.ToJsonString());
        // A driver that died fails every pending command; one that hangs fails it here, past any test's budget.
        return await answer.Task.WaitAsync(AnswerTimeout);
    }

    /// <summary>Routes what page <paramref name="handle"/> reports (console, pageerror, request) to <paramref name="handler"/>.</summary>
    public void OnPageEvent(int handle, Action<JsonElement> handler) => _pageEvents[handle] = handler;

    private async Task WriteLineAsync(string line)
    {
        await _writing.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            using var message = JsonDocument.Parse(line);
            var root = message.RootElement;
            if (root.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var answer))
            {
                if (root.GetProperty("ok").GetBoolean())
                {
                    answer.SetResult(root.GetProperty("value").Clone());
                }
                else
                {
                    answer.SetException(new FirefoxException(root.GetProperty("error").GetString()!));
                }
            }
            else if (root.TryGetProperty("page", out var page) && _pageEvents.TryGetValue(page.GetInt32(), out var handler))
            {
                handler(root.Clone());
            }
        }

        // The driver ended: nothing pending will be answered.
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new FirefoxException("firefox-driver.mjs ended: " + Stderr));
        }
    }

    /// <summary>quit (Firefox closes, its temp profile is deleted), then a kill of our own node process tree if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await WriteLineAsync("{\"op\":\"quit\"}");
            }
            catch (IOException)
            {
                // It is already going.
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        await _reading;
        _process.Dispose();
        _writing.Dispose();
    }
}

/// <summary>An error the driver reported from Firefox or puppeteer (a script that threw, a timed-out wait).</summary>
internal sealed class FirefoxException(string message) : Exception(message);
