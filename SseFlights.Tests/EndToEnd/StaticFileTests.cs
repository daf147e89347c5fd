using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Http;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>
/// The page's files over HTTP, from the embedded copy and from a folder on disk: exact content
/// types, GET and HEAD alike, ETag revalidation, no listings, and nothing outside the web root
/// however the path is spelled. Requests go over a raw socket, because HttpClient would
/// normalise the very paths under test.
/// </summary>
public class StaticFileTests
{
    public enum Root
    {
        Embedded,
        Disk,
    }

    /// <summary>The content of every file outside the web root; no response may ever contain it.</summary>
    private const string Secret = "outside-secret-5b1e0c";

    private static readonly Dictionary<string, byte[]> DiskFiles = new()
    {
        ["index.html"] = Encoding.UTF8.GetBytes("<!doctype html><title>Disk board</title>\n"),
        ["app.js"] = Encoding.UTF8.GetBytes("'use strict';\n"),
        ["app.css"] = Encoding.UTF8.GetBytes("body { color: #fff; }\n"),
        ["favicon.svg"] = Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"),
        ["data.json"] = Encoding.UTF8.GetBytes("{\"ok\":true}\n"),
        ["image.png"] = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0],
        ["favicon.ico"] = [0, 0, 1, 0, 1, 0],
        ["sub/page.html"] = Encoding.UTF8.GetBytes("<p>in a sub folder</p>\n"),
        [".hidden"] = Encoding.UTF8.GetBytes(Secret + " (hidden)\n"),
    };

    private string _temp = "";
    private string _webRoot = "";
    private TestServer? _embedded;
    private TestServer? _disk;

    /// <summary>
    /// temp/outside.txt and temp/outside/x hold the secret; temp/root is the web root, with
    /// outside-file.txt, outside-dir and passwd linking out of it, alias.js linking to app.js inside
    /// it, and loop linking to itself.
    /// </summary>
    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        _temp = Directory.CreateTempSubdirectory("sseflights-www-").FullName;
        _webRoot = Path.Combine(_temp, "root");
        foreach (var (name, content) in DiskFiles)
        {
            string path = Path.Combine(_webRoot, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, content);
        }

        await File.WriteAllTextAsync(Path.Combine(_temp, "outside.txt"), Secret);
        Directory.CreateDirectory(Path.Combine(_temp, "outside"));
        await File.WriteAllTextAsync(Path.Combine(_temp, "outside", "x"), Secret);
        File.CreateSymbolicLink(Path.Combine(_webRoot, "outside-file.txt"), Path.Combine(_temp, "outside.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_webRoot, "outside-dir"), Path.Combine(_temp, "outside"));
        File.CreateSymbolicLink(Path.Combine(_webRoot, "passwd"), "/etc/passwd");
        File.CreateSymbolicLink(Path.Combine(_webRoot, "alias.js"), "app.js");
        File.CreateSymbolicLink(Path.Combine(_webRoot, "loop"), Path.Combine(_webRoot, "loop"));

        // A fake clock that never moves: the scenario stays at its start and nothing else happens.
        _embedded = await TestServer.StartAsync(Scenarios.Tutorial, new FakeTimeProvider());
        _disk = await TestServer.StartAsync(Scenarios.Tutorial, new FakeTimeProvider(), files: new DiskFileSource(_webRoot));
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }

        if (_disk is not null)
        {
            await _disk.DisposeAsync();
        }

        Directory.Delete(_temp, recursive: true);
    }

    [TestCase(Root.Embedded, "/", "index.html", "text/html; charset=utf-8")]
    [TestCase(Root.Embedded, "/index.html", "index.html", "text/html; charset=utf-8")]
    [TestCase(Root.Embedded, "/app.js", "app.js", "text/javascript; charset=utf-8")]
    [TestCase(Root.Embedded, "/app.css", "app.css", "text/css; charset=utf-8")]
    [TestCase(Root.Embedded, "/favicon.svg", "favicon.svg", "image/svg+xml; charset=utf-8")]
    [TestCase(Root.Disk, "/", "index.html", "text/html; charset=utf-8")]
    [TestCase(Root.Disk, "/index.html", "index.html", "text/html; charset=utf-8")]
    [TestCase(Root.Disk, "/app.js", "app.js", "text/javascript; charset=utf-8")]
    [TestCase(Root.Disk, "/app.css", "app.css", "text/css; charset=utf-8")]
    [TestCase(Root.Disk, "/favicon.svg", "favicon.svg", "image/svg+xml; charset=utf-8")]
    [TestCase(Root.Disk, "/data.json", "data.json", "application/json; charset=utf-8")]
    [TestCase(Root.Disk, "/image.png", "image.png", "image/png")]
    [TestCase(Root.Disk, "/favicon.ico", "favicon.ico", "image/x-icon")]
    [TestCase(Root.Disk, "/sub/page.html", "sub/page.html", "text/html; charset=utf-8")]
    [TestCase(Root.Disk, "/alias.js", "app.js", "text/javascript; charset=utf-8")]
    [CancelAfter(20_000)]
    public async Task GetAndHead_ServeTheFileWithItsExactContentType_HeadWithoutTheBody(Root root, string target, string file, string contentType)
    {
        var get = await SendAsync(root, "GET", target);
        Assert.That(get.Status, Is.EqualTo(200));
        Assert.That(get.Header("Content-Type"), Is.EqualTo(contentType));
        Assert.That(get.Body, Is.EqualTo(Expected(root, file)));
        Assert.That(get.Header("Content-Length"), Is.EqualTo(get.Body.Length.ToString()));
        Assert.That(get.Header("ETag"), Does.Match("^\"[0-9a-f]{24}\"$"));
        Assert.That(get.Header("Cache-Control"), Is.EqualTo("no-cache"));
        Assert.That(get.Header("X-Content-Type-Options"), Is.EqualTo("nosniff"));

        var head = await SendAsync(root, "HEAD", target);
        Assert.That(head.Status, Is.EqualTo(200));
        Assert.That(head.Body, Is.Empty, "HEAD sends no body");
        foreach (string name in new[] { "Content-Type", "Content-Length", "ETag", "Cache-Control", "X-Content-Type-Options" })
        {
            Assert.That(head.Header(name), Is.EqualTo(get.Header(name)), name);
        }
    }

    [TestCase(Root.Embedded, "/app.js")]
    [TestCase(Root.Disk, "/app.js")]
    [TestCase(Root.Disk, "/image.png")]
    [CancelAfter(20_000)]
    public async Task IfNoneMatch_WithTheETag_Gets304WithNoBody_AnotherTagGetsTheFile(Root root, string target)
    {
        string etag = (await SendAsync(root, "GET", target)).Header("ETag")!;

        var get = await SendAsync(root, "GET", target, $"If-None-Match: {etag}");
        Assert.That((get.Status, get.Body.Length), Is.EqualTo((304, 0)));
        Assert.That(get.Header("ETag"), Is.EqualTo(etag));
        Assert.That(get.Header("Cache-Control"), Is.EqualTo("no-cache"));

        var head = await SendAsync(root, "HEAD", target, $"If-None-Match: \"0000\", {etag}");
        Assert.That((head.Status, head.Body.Length), Is.EqualTo((304, 0)), "a list of tags that includes it");

        var other = await SendAsync(root, "GET", target, "If-None-Match: \"0123456789abcdef01234567\"");
        Assert.That(other.Status, Is.EqualTo(200));
        Assert.That(other.Body, Is.EqualTo(Expected(root, target.TrimStart('/'))));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task IfNoneMatch_WeakFormOfTheETag_Gets304()
    {
        string etag = (await SendAsync(Root.Disk, "GET", "/app.js")).Header("ETag")!;
        var response = await SendAsync(Root.Disk, "GET", "/app.js", $"If-None-Match: W/{etag}");
        Assert.That((response.Status, response.Body.Length), Is.EqualTo((304, 0)));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ETag_DiffersByContent_AndIsStableAcrossRequests()
    {
        var first = await SendAsync(Root.Disk, "GET", "/app.js");
        var again = await SendAsync(Root.Disk, "GET", "/app.js");
        var css = await SendAsync(Root.Disk, "GET", "/app.css");
        Assert.That(again.Header("ETag"), Is.EqualTo(first.Header("ETag")));
        Assert.That(css.Header("ETag"), Is.Not.EqualTo(first.Header("ETag")));
    }

    public static IEnumerable<TestCaseData> TraversalCases()
    {
        var everywhere = new (string Label, string Target, int Status)[]
        {
            ("dot-dot", "/../../etc/passwd", 404),
            ("encoded dot-dot", "/%2e%2e/%2e%2e/etc/passwd", 404),
            ("encoded dot-dot and slash", "/%2E%2E%2Fetc%2Fpasswd", 404),
            ("dot-dot with encoded slash", "/..%2f..%2fetc%2fpasswd", 404),
            ("dot-dot with encoded backslash", "/..%5c..%5cetc%5cpasswd", 404),
            ("literal backslashes", "/\\..\\..\\etc\\passwd", 404),
            ("double slash", "//etc/passwd", 404),
            ("absolute path", "/etc/passwd", 404),
            ("NUL first", "/%00index.html", 404),
            ("NUL inside", "/index.html%00.txt", 404),
            ("out through a folder", "/sub/../../outside.txt", 404),
            ("3000 characters", ("/" + string.Concat(Enumerable.Repeat("../", 1000)))[..3000], 404),
            ("hidden file", "/.hidden", 404),
            ("invalid percent-encoding", "/%zz", 400),
            ("overlong UTF-8 dots", "/%c0%ae%c0%ae/etc/passwd", 400),
            ("link to a file outside", "/outside-file.txt", 404),
            ("link to /etc/passwd", "/passwd", 404),
            ("link to a folder outside", "/outside-dir/x", 404),
        };
        foreach (var root in new[] { Root.Embedded, Root.Disk })
        {
            foreach (var (label, target, status) in everywhere)
            {
                yield return new TestCaseData(root, target, status).SetArgDisplayNames(root.ToString(), label, status.ToString());
            }
        }
    }

    [TestCaseSource(nameof(TraversalCases))]
    [CancelAfter(20_000)]
    public async Task Traversal_IsRefused_LeaksNothing_AndTheServerCarriesOn(Root root, string target, int status)
    {
        var response = await SendAsync(root, "GET", target);
        string body = Encoding.UTF8.GetString(response.Body);
        Assert.That(response.Status, Is.EqualTo(status), target.Length > 80 ? target[..80] + "…" : target);
        Assert.That(body, Is.EqualTo(status == 404 ? "Not found.\n" : "Bad request: the request target is malformed.\n"));
        Assert.That(body, Does.Not.Contain(Secret).And.Not.Contain("root:").And.Not.Contain(_temp).And.Not.Contain("etc"));

        using var health = await Server(root).Http.GetAsync("healthz");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "/healthz after the attempt");
    }

    [TestCase("/loop")]
    [TestCase("/loop/x")]
    [CancelAfter(20_000)]
    public async Task SymlinkLoop_Gets404(string target)
    {
        var response = await SendAsync(Root.Disk, "GET", target);
        Assert.That(response.Status, Is.EqualTo(404));
        Assert.That(Encoding.UTF8.GetString(response.Body), Is.EqualTo("Not found.\n"));
    }

    [TestCase("/sub/")]
    [TestCase("/sub")]
    [TestCase("/outside-dir/")]
    [CancelAfter(20_000)]
    public async Task Folder_WithoutIndex_Gets404_NeverAListing(string target)
    {
        var response = await SendAsync(Root.Disk, "GET", target);
        Assert.That(response.Status, Is.EqualTo(404));
        Assert.That(Encoding.UTF8.GetString(response.Body), Is.EqualTo("Not found.\n"));
    }

    [TestCase(Root.Embedded, "POST")]
    [TestCase(Root.Embedded, "PUT")]
    [TestCase(Root.Embedded, "DELETE")]
    [TestCase(Root.Disk, "POST")]
    [TestCase(Root.Disk, "PUT")]
    [TestCase(Root.Disk, "DELETE")]
    [CancelAfter(20_000)]
    public async Task OtherMethods_Get405WithAllow(Root root, string method)
    {
        var response = await SendAsync(root, method, "/index.html", "Content-Length: 0");
        Assert.That(response.Status, Is.EqualTo(405));
        Assert.That(response.Header("Allow"), Is.EqualTo("GET, HEAD, OPTIONS"));
        Assert.That(Encoding.UTF8.GetString(response.Body), Is.EqualTo("Method not allowed; use GET, HEAD, OPTIONS.\n"));
    }

    private TestServer Server(Root root) => root == Root.Embedded ? _embedded! : _disk!;

    private static byte[] Expected(Root root, string file) => root == Root.Embedded
        ? File.ReadAllBytes(Path.Combine(Scenarios.RepoRoot, "wwwroot", file))
        : DiskFiles[file];

    private Task<RawResponse> SendAsync(Root root, string method, string target, params string[] headers) =>
        RawResponse.SendAsync(Server(root).Port, method, target, headers);

    /// <summary>One request written byte for byte to a socket, and the response read to the end.</summary>
    private sealed record RawResponse(int Status, Dictionary<string, string> Headers, byte[] Body)
    {
        public string? Header(string name) => Headers.GetValueOrDefault(name);

        public static async Task<RawResponse> SendAsync(int port, string method, string target, string[] headers)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port);

            // HttpListener matches the Host header against its prefixes, so it must be one of ours.
            var request = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
            foreach (string header in headers)
            {
                request.Append(header).Append("\r\n");
            }

            await socket.SendAsync(Encoding.Latin1.GetBytes(request.Append("\r\n").ToString()));
            using var received = new MemoryStream();
            var buffer = new byte[8192];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            for (int read; (read = await socket.ReceiveAsync(buffer, timeout.Token)) > 0;)
            {
                received.Write(buffer, 0, read);
            }

            return Parse(received.ToArray());
        }

        private static RawResponse Parse(byte[] raw)
        {
            int end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
            Assert.That(end, Is.GreaterThan(0), "a complete response head: " + Encoding.Latin1.GetString(raw));
            string[] lines = Encoding.Latin1.GetString(raw, 0, end).Split("\r\n");
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string line in lines.Skip(1))
            {
                int colon = line.IndexOf(':');
                headers[line[..colon]] = line[(colon + 1)..].Trim();
            }

            return new RawResponse(int.Parse(lines[0].Split(' ')[1]), headers, raw[(end + 4)..]);
        }
    }
}
