using System.Reflection;

namespace SseFlights.Http;

/// <summary>
/// The Server header every answer of ours carries, "sseflights/VERSION", in place of the
/// framework's "Microsoft-NetCore/2.0": it names what actually answered, for logs and proxies.
/// </summary>
internal static class ServerIdentity
{
    public static readonly string Version = ReadVersion();

    public static readonly string Header = "sseflights/" + Version;

    /// <summary>The assembly's informational version without the "+commit" the SDK appends to it.</summary>
    private static string ReadVersion()
    {
        var assembly = typeof(ServerIdentity).Assembly;
        string? version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString(3);
        return version is null ? "0.0.0" : version.Split('+')[0];
    }
}
