using System.Globalization;

namespace KestrelPeer;

/// <summary>The peer's command line: the flags it shares with sseflights and the Node peer.</summary>
internal sealed record PeerOptions(int Port, string Host, string Scenario, double Speed, int RetryMilliseconds)
{
    public static PeerOptions Parse(string[] args)
    {
        int port = 5000;
        string host = "127.0.0.1";
        string? scenario = null;
        double speed = 1;
        int retry = 3000;
        for (int i = 0; i < args.Length; i += 2)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"missing value for {args[i]}");
            switch (args[i])
            {
                case "--port": port = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--host": host = value; break;
                case "--scenario": scenario = value; break;
                case "--speed": speed = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--retry": retry = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (scenario is null) throw new ArgumentException("--scenario is required");
        if (!(speed > 0)) throw new ArgumentException("--speed must be > 0");
        return new PeerOptions(port, host, scenario, speed, retry);
    }
}
