using SseFlights.Scenario;

namespace SseFlights.Kit;

/// <summary>The client pack bundled in the binary (scenarios/clients/*.json, embedded like the default scenario).</summary>
internal static class KitPack
{
    private const string Prefix = "kit/cases/";

    /// <summary>Every bundled case, by name in order; each is validated as <c>sseflights validate</c> would.</summary>
    public static IReadOnlyList<KitCase> LoadBundled()
    {
        var assembly = typeof(KitPack).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(resource =>
            {
                using var stream = assembly.GetManifestResourceStream(resource)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                string name = resource[Prefix.Length..^".json".Length];
                return new KitCase(name, ScenarioLoader.Parse(copy.ToArray(), $"scenarios/clients/{name}.json"));
            })];
    }
}
