using System.Security.Cryptography;
using System.Text;
using SseFlights.Kit;
using SseFlights.Scenario;

namespace SseFlights.Tests.Support;

/// <summary>The client pack in scenarios/clients/, as the cross-client fixtures play it.</summary>
internal static class ClientPack
{
    public static readonly string Folder = Path.Combine(Scenarios.RepoRoot, "scenarios", "clients");

    /// <summary>Every case's name, in order.</summary>
    public static IEnumerable<string> Cases() => Directory.EnumerateFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order()!;

    public static ScenarioDefinition Load(string name) => ScenarioLoader.LoadFile(Path.Combine(Folder, name + ".json"));

    /// <summary>Every event type a client could dispatch in the case (see <see cref="KitCase.EventTypes"/>, which the kit page listens for too).</summary>
    public static IReadOnlyList<string> EventTypes(ScenarioDefinition scenario) => new KitCase("", scenario).EventTypes();

    /// <summary>One line per event; long data (the 1 MiB case) by length and hash, so a failure prints a line, not a megabyte.</summary>
    public static string Describe(ExpectedEvent e) =>
        $"{e.Type} | {(e.Data.Length > 200 ? $"{e.Data.Length} chars, SHA-256 {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(e.Data)))[..16]}" : e.Data)} | {e.LastEventId}";
}
