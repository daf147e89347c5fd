using System.Security.Cryptography;

namespace SseFlights.Scenario;

/// <summary>
/// The SHA-256 of the scenario file's bytes, lower-case hex: replicas must play the same file, and
/// /healthz shows this so a deployment check can compare them.
/// </summary>
internal static class ScenarioFingerprint
{
    /// <summary>The file at <paramref name="path"/>, or the bundled scenario when it is null.</summary>
    public static string Sha256(string? path)
    {
        if (path is not null)
        {
            return Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        }

        using var stream = typeof(ScenarioFingerprint).Assembly.GetManifestResourceStream("bundled/scenario.json")
            ?? throw new InvalidOperationException("The bundled scenario is missing from this build.");
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
