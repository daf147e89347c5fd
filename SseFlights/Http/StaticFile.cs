using System.Security.Cryptography;

namespace SseFlights.Http;

/// <summary>A file ready to serve, with a strong validator derived from its content.</summary>
internal sealed record StaticFile(byte[] Content, string ContentType, string ETag)
{
    public static StaticFile From(string name, byte[] content) =>
        new(content, ContentTypes.For(name), $"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12))}\"");
}

/// <summary>Where the page's files come from: the copy embedded in the executable, or a folder (--wwwroot).</summary>
internal interface IFileSource
{
    /// <summary>The file at <paramref name="segments"/> (an empty last segment means index.html), or null.</summary>
    StaticFile? Find(IReadOnlyList<string> segments);
}

/// <summary>The page bundled into the executable at build time; loaded and hashed once.</summary>
internal sealed class EmbeddedFileSource : IFileSource
{
    private const string Prefix = "wwwroot/";
    private readonly Dictionary<string, StaticFile> _files = new(StringComparer.Ordinal);

    public EmbeddedFileSource()
    {
        var assembly = typeof(EmbeddedFileSource).Assembly;
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            string path = name[Prefix.Length..].Replace('\\', '/');
            _files[path] = StaticFile.From(path, copy.ToArray());
        }
    }

    public StaticFile? Find(IReadOnlyList<string> segments)
    {
        string path = string.Join('/', segments);
        if (path.Length == 0 || path.EndsWith('/'))
        {
            path += "index.html";
        }

        return _files.GetValueOrDefault(path);
    }
}
