using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace SseFlights.Tests.Support;

/// <summary>
/// Debian's real nginx on a free loopback port, with everything it writes (config, pid, logs, temp
/// files) in a temp folder of its own, stopped by its PID. The site is either the shipped
/// deploy/nginx/sseflights.conf, with its listen line and upstream servers pointed at the test's
/// ports (any number of nodes), or any config text given.
/// </summary>
internal sealed partial class NginxProcess : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/nginx";

    private readonly Process _process;

    private NginxProcess(Process process, string folder, int port)
    {
        _process = process;
        Folder = folder;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static string ShippedConfigPath => Path.Combine(Scenarios.RepoRoot, "deploy", "nginx", "sseflights.conf");

    public string Folder { get; }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}/";

    public HttpClient Http { get; }

    public string ErrorLog => ReadLog("error.log");

    /// <summary>The request targets nginx has logged so far, in order.</summary>
    public IReadOnlyList<string> RequestTargets() =>
        [.. RequestLine().Matches(ReadLog("access.log")).Select(m => m.Groups[1].Value)];

    private string ReadLog(string name) => File.Exists(Path.Combine(Folder, name)) ? File.ReadAllText(Path.Combine(Folder, name)) : "";

    /// <summary>The shipped config, listening on <c>listen</c> and proxying to the given nodes; <paramref name="edit"/> may change it further.</summary>
    public static Func<int, string> Shipped(IReadOnlyList<int> nodes, Func<string, string>? edit = null) =>
        listen => (edit ?? (c => c))(FromTemplate(File.ReadAllText(ShippedConfigPath), listen, nodes));

    /// <summary>What a new user writes first: nginx's defaults, HTTP/1.0 to the node, buffering on.</summary>
    public static Func<int, string> Bare(int node) =>
        listen => $$"""
            server {
                listen 127.0.0.1:{{listen}};
                location / { proxy_pass http://127.0.0.1:{{node}}; }
            }
            """;

    /// <summary>Points the shipped file's <c>listen</c> at the test's port and its upstream's one server line at <paramref name="nodes"/>.</summary>
    public static string FromTemplate(string template, int listen, IReadOnlyList<int> nodes)
    {
        string config = ListenLine().Replace(template, $"listen 127.0.0.1:{listen};", 1);
        string servers = string.Join("\n    ", nodes.Select(port => $"server 127.0.0.1:{port};"));
        string pointed = UpstreamServerLine().Replace(config, servers, 1);
        Assert.That(pointed, Is.Not.EqualTo(config).And.Contains($"listen 127.0.0.1:{listen};"), "the shipped config lost its 'listen 80;' or 'server 127.0.0.1:5000;' line");
        return pointed;
    }

    /// <summary>Starts nginx with <paramref name="site"/> (the http {} content for a listen port) and waits until it accepts connections.</summary>
    public static async Task<NginxProcess> StartAsync(Func<int, string> site, string httpExtras = "")
    {
        Assert.That(File.Exists(Executable), Is.True, $"{Executable} is missing: apt-get install nginx (.ci/run does)");
        for (int attempt = 1; ; attempt++)
        {
            string folder = Directory.CreateTempSubdirectory("sseflights-nginx-").FullName;
            int port = FreePort.Reserve();
            await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), MainConfig(folder, site(port), httpExtras));
            var info = new ProcessStartInfo(Executable) { UseShellExecute = false };
            foreach (string arg in new[] { "-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log"), "-g", "daemon off;" })
            {
                info.ArgumentList.Add(arg);
            }

            var nginx = new NginxProcess(Process.Start(info)!, folder, port);
            if (await nginx.WaitUntilListeningAsync())
            {
                return nginx;
            }

            string log = nginx.ErrorLog;
            await nginx.DisposeAsync();
            if (!log.Contains("Address already in use", StringComparison.Ordinal) || attempt == 3)
            {
                Assert.Fail("nginx did not start:\n" + log);
            }
        }
    }

    private static string MainConfig(string folder, string site, string httpExtras) => $$"""
        # Written by the tests: nothing outside {{folder}}.
        {{(Environment.UserName == "root" ? "user root;" : "")}}
        worker_processes 1;
        pid {{folder}}/nginx.pid;
        error_log {{folder}}/error.log warn;
        events { worker_connections 256; }
        http {
            access_log {{folder}}/access.log;
            client_body_temp_path {{folder}}/client_body;
            proxy_temp_path {{folder}}/proxy;
            fastcgi_temp_path {{folder}}/fastcgi;
            uwsgi_temp_path {{folder}}/uwsgi;
            scgi_temp_path {{folder}}/scgi;
            {{httpExtras}}
        {{site}}
        }
        """;

    private async Task<bool> WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync("127.0.0.1", Port);
            }
            catch (SocketException)
            {
                await Task.Delay(20);
                continue;
            }

            // Ours, not a process that took the port meanwhile: nginx is still running and writes its pid
            // (the master listens a moment before it writes the pid file).
            while (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                if (File.Exists(Path.Combine(Folder, "nginx.pid")))
                {
                    return true;
                }

                await Task.Delay(20);
            }

            return false;
        }

        return false;
    }

    /// <summary>SIGTERM to the master (a fast shutdown that ends its workers), a kill if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Signals.TerminateAsync(_process, TimeSpan.FromSeconds(5), tree: true);

        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    [GeneratedRegex("\"[A-Z]+ (\\S+) HTTP/")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"listen\s+80;")]
    private static partial Regex ListenLine();

    [GeneratedRegex(@"server\s+127\.0\.0\.1:5000;")]
    private static partial Regex UpstreamServerLine();
}
