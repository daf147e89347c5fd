using System.Text.RegularExpressions;

namespace SseFlights.Tests.Support;

/// <summary>A shipped nginx file of deploy/nginx/ made to run here: its listen line on the test's port, its three <c>server</c> lines on the replicas'.</summary>
internal static partial class NginxFront
{
    /// <summary>
    /// <paramref name="template"/> listening on <paramref name="listen"/>, its server lines pointed at
    /// <paramref name="ports"/> in order (their options kept; a line left over when the ports run out stays as it is).
    /// </summary>
    public static string Point(string template, int listen, IEnumerable<int> ports, string fileName)
    {
        string config = template.Replace("listen 80;", $"listen 127.0.0.1:{listen};", StringComparison.Ordinal);
        Assert.That(ServerLine().Matches(config), Has.Count.EqualTo(3), $"{fileName} must list three replicas");
        using var port = ports.GetEnumerator();
        return ServerLine().Replace(config, m => port.MoveNext() ? $"server 127.0.0.1:{port.Current}{m.Groups[1].Value};" : m.Value);
    }

    /// <summary>Stops nginx first (no new connections reach a stopping replica), then every replica.</summary>
    public static async ValueTask StopAsync(NginxProcess? nginx, IEnumerable<RunningProgram> replicas)
    {
        if (nginx is not null)
        {
            await nginx.DisposeAsync();
        }

        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }
    }

    [GeneratedRegex(@"server 127\.0\.0\.1:500\d( [^;]*)?;")]
    private static partial Regex ServerLine();
}
