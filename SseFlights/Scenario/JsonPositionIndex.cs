using System.Text;
using System.Text.Json;

namespace SseFlights.Scenario;

/// <summary>
/// Maps each JSON path (<c>timeline[3].data.flight</c>) to where it starts in the file, so that
/// errors found after parsing can still name a line and column. Members map to their property
/// name, array items to their first character; the root is the empty path.
/// </summary>
internal sealed class JsonPositionIndex
{
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);
    private readonly List<int> _lineStarts = [0];
    private readonly byte[] _utf8;

    private JsonPositionIndex(byte[] utf8)
    {
        _utf8 = utf8;
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>Property paths that appear twice in one object; JSON allows it, a scenario does not.</summary>
    public List<string> Duplicates { get; } = [];

    /// <summary>Indexes <paramref name="utf8"/>; throws <see cref="JsonException"/> on malformed JSON.</summary>
    public static JsonPositionIndex Build(byte[] utf8)
    {
        var index = new JsonPositionIndex(utf8);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var containers = new Stack<(string Path, bool IsArray, int NextItem)>();
        string propertyPath = "";

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    propertyPath = Join(containers.Peek().Path, reader.GetString()!);
                    if (!index._offsets.TryAdd(propertyPath, reader.TokenStartIndex))
                    {
                        index.Duplicates.Add(propertyPath);
                    }
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    containers.Pop();
                    break;
                default:
                    string path = index.ValuePath(containers, propertyPath, reader.TokenStartIndex);
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        containers.Push((path, reader.TokenType == JsonTokenType.StartArray, 0));
                    }
                    break;
            }
        }

        return index;
    }

    private string ValuePath(Stack<(string Path, bool IsArray, int NextItem)> containers, string propertyPath, long offset)
    {
        if (containers.Count == 0)
        {
            _offsets[""] = offset;
            return "";
        }

        var parent = containers.Pop();
        containers.Push(parent with { NextItem = parent.NextItem + 1 });
        if (!parent.IsArray)
        {
            return propertyPath;
        }

        string path = $"{parent.Path}[{parent.NextItem}]";
        _offsets[path] = offset;
        return path;
    }

    public static string Join(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    /// <summary>1-based line and column of <paramref name="path"/>, or of its nearest indexed ancestor.</summary>
    public (int Line, int Column) Locate(string path)
    {
        long offset;
        while (!_offsets.TryGetValue(path, out offset))
        {
            if (path.Length == 0)
            {
                break;
            }

            int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            path = cut < 0 ? "" : path[..cut];
        }

        int line = _lineStarts.BinarySearch((int)offset);
        line = line >= 0 ? line : ~line - 1;
        int start = _lineStarts[line];
        int column = Encoding.UTF8.GetCharCount(_utf8, start, (int)offset - start) + 1;
        return (line + 1, column);
    }
}
