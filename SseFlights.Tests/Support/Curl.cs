using System.Diagnostics;
using System.Text;

namespace SseFlights.Tests.Support;

/// <summary>
/// Debian's curl, run to its end: the head it received (every response's, with -L) and the body's
/// exact bytes apart, and what it said on stderr. curl speaks HTTP/2 over TLS (nghttp2), which
/// HttpClient could too, but curl is what README tells people to read the stream with.
/// </summary>
internal static class Curl
{
    public const string Executable = "/usr/bin/curl";

    /// <summary>Runs <c>curl -sS -D head -o - ARGS</c>; the head goes to a temp file so the body stays exact bytes.</summary>
    public static async Task<CurlResult> RunAsync(params string[] args)
    {
        Assert.That(File.Exists(Executable), Is.True, $"{Executable} is missing: apt-get install curl");
        string head = Path.GetTempFileName();
        try
        {
            var info = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[] { "-sS", "--max-time", "30", "-D", head, "-o", "-" }.Concat(args))
            {
                info.ArgumentList.Add(arg);
            }

            using var curl = Process.Start(info)!;
            using var body = new MemoryStream();
            var copy = curl.StandardOutput.BaseStream.CopyToAsync(body);
            var stderr = curl.StandardError.ReadToEndAsync();
            await curl.WaitForExitAsync();
            await copy;
            return new CurlResult(curl.ExitCode, await File.ReadAllTextAsync(head), body.ToArray(), await stderr);
        }
        finally
        {
            File.Delete(head);
        }
    }
}

/// <summary>What one curl run got: its exit code, the response head(s) as received, the body's bytes, stderr.</summary>
internal sealed record CurlResult(int ExitCode, string Head, byte[] Body, string Stderr)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The status line of the (last) response, e.g. "HTTP/2 200".</summary>
    public string StatusLine => HeadLines().Last(l => l.StartsWith("HTTP/", StringComparison.Ordinal)).TrimEnd();

    /// <summary>The last response's header names, lower-cased, in order.</summary>
    public IReadOnlyList<string> HeaderNames => [.. Headers().Select(h => h.Name)];

    /// <summary>The value of header <paramref name="name"/> in the last response, or null.</summary>
    public string? Header(string name) =>
        Headers().Where(h => h.Name == name.ToLowerInvariant()).Select(h => h.Value).FirstOrDefault();

    private IEnumerable<(string Name, string Value)> Headers()
    {
        var lines = HeadLines();
        int status = lines.FindLastIndex(l => l.StartsWith("HTTP/", StringComparison.Ordinal));
        return lines.Skip(status + 1).Select(l => l.Split(':', 2)).Where(parts => parts.Length == 2)
            .Select(parts => (parts[0].ToLowerInvariant(), parts[1].Trim()));
    }

    private List<string> HeadLines() => [.. Head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)];
}
