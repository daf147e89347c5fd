using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace SseFlights.Tests.Support;

/// <summary>
/// Debian's real <c>prometheus</c> server on a free loopback port, scraping one target every second,
/// with its config and storage in a temp folder; stopped by PID (SIGTERM, then kill).
/// </summary>
internal sealed class PrometheusProcess : IAsyncDisposable
{
    public const string Executable = "/usr/bin/prometheus";

    private readonly Process _process;
    private readonly DirectoryInfo _folder;

    private PrometheusProcess(Process process, DirectoryInfo folder, int port)
    {
        _process = process;
        _folder = folder;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Http { get; }

    public static async Task<PrometheusProcess> StartAsync(int targetPort)
    {
        var folder = Directory.CreateTempSubdirectory("sseflights-prometheus-");
        string config = Path.Combine(folder.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: sseflights
                static_configs:
                  - targets: ["127.0.0.1:{targetPort}"]
            """);
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort.Reserve();
            var info = new ProcessStartInfo(Executable)
            {
                WorkingDirectory = folder.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in (string[])[
                "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(folder.FullName, "data"),
                $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"])
            {
                info.ArgumentList.Add(arg);
            }

            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var prometheus = new PrometheusProcess(process, folder, port);
            if (await prometheus.WaitReadyAsync(TimeSpan.FromSeconds(30)))
            {
                return prometheus;
            }

            // It exited (most likely another process took the port between reservation and bind).
            await prometheus.StopAsync(deleteFolder: attempt == 3);
            if (attempt == 3)
            {
                Assert.Fail("prometheus did not become ready on three ports");
            }
        }
    }

    /// <summary>The value of an instant query's first sample, or null while it has none.</summary>
    public async Task<double?> QueryAsync(string promql)
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(promql)));
        var result = document.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0
            ? null
            : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    private async Task<bool> WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var ready = await Http.GetAsync("-/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        return false;
    }

    private async Task StopAsync(bool deleteFolder)
    {
        await Signals.TerminateAsync(_process, TimeSpan.FromSeconds(10));

        _process.Dispose();
        Http.Dispose();
        if (deleteFolder)
        {
            _folder.Delete(recursive: true);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(deleteFolder: true);
}
