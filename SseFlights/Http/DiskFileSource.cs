namespace SseFlights.Http;

/// <summary>
/// Files from a folder, read on each request so edits show at once. Besides the segment checks of
/// <see cref="RequestPath"/>, every step of the path is resolved through symlinks and must stay
/// inside the root, so a link pointing out of the folder serves nothing.
/// </summary>
internal sealed class DiskFileSource : IFileSource
{
    private const long MaxFileBytes = 16 * 1024 * 1024;
    private readonly string _root;

    public DiskFileSource(string root)
    {
        var info = new DirectoryInfo(root);
        string full = info.LinkTarget is null ? info.FullName : info.ResolveLinkTarget(true)!.FullName;
        _root = Path.TrimEndingDirectorySeparator(full);
    }

    public string Root => _root;

    public StaticFile? Find(IReadOnlyList<string> segments)
    {
        var parts = segments.ToList();
        if (parts.Count == 0 || parts[^1].Length == 0)
        {
            parts = [.. parts.Where(p => p.Length > 0), "index.html"];
        }

        string current = _root;
        foreach (string part in parts)
        {
            current = Path.Combine(current, part);
            if (!StaysInside(current))
            {
                return null;
            }
        }

        try
        {
            var file = new FileInfo(current);
            if (!file.Exists || file.Length > MaxFileBytes)
            {
                return null;
            }

            return StaticFile.From(current, File.ReadAllBytes(current));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private bool StaysInside(string path)
    {
        try
        {
            FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            string real = info.LinkTarget is null ? Path.GetFullPath(path) : info.ResolveLinkTarget(true)?.FullName ?? "";
            return real.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A link loop (ELOOP) or an unreadable link leads nowhere we would serve.
            return false;
        }
    }
}
