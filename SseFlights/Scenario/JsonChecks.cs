using System.Text.Encodings.Web;
using System.Text.Json;

namespace SseFlights.Scenario;

/// <summary>Typed reads of JSON members that report what is wrong and what would be right, instead of throwing.</summary>
internal sealed class JsonChecks(ScenarioErrors errors)
{
    private static readonly JsonWriterOptions CompactWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public ScenarioErrors Errors => errors;

    public bool IsObject(JsonElement value, string path, string what)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        errors.Add(path, $"expected {what}, got {Describe(value)}");
        return false;
    }

    /// <summary>Reports members not in <paramref name="allowed"/>, suggesting the closest allowed name (typo guard).</summary>
    public void OnlyMembers(JsonElement obj, string path, params string[] allowed)
    {
        foreach (var member in obj.EnumerateObject())
        {
            if (Array.IndexOf(allowed, member.Name) >= 0)
            {
                continue;
            }

            string? guess = Closest(member.Name, allowed);
            string hint = guess is null ? $"allowed here: {string.Join(", ", allowed)}" : $"did you mean '{guess}'?";
            errors.Add(JsonPositionIndex.Join(path, member.Name), $"unknown property '{member.Name}'; {hint}");
        }
    }

    public string? String(JsonElement obj, string path, string name, bool required, bool allowEmpty)
    {
        string memberPath = JsonPositionIndex.Join(path, name);
        string wanted = allowEmpty ? "a string" : "a non-empty string";
        if (!obj.TryGetProperty(name, out var value))
        {
            if (required)
            {
                errors.Add(path, $"missing required property '{name}' ({wanted})");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(memberPath, $"expected {wanted}, got {Describe(value)}");
            return null;
        }

        string text = value.GetString()!;
        if (!allowEmpty && string.IsNullOrWhiteSpace(text))
        {
            errors.Add(memberPath, $"expected {wanted}, got an empty string");
            return null;
        }

        return text;
    }

    public double? Number(JsonElement obj, string path, string name, double min, double max, string wanted)
    {
        string memberPath = JsonPositionIndex.Join(path, name);
        if (!obj.TryGetProperty(name, out var value))
        {
            errors.Add(path, $"missing required property '{name}' ({wanted})");
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number))
        {
            errors.Add(memberPath, $"expected {wanted}, got {Describe(value)}");
            return null;
        }

        if (number < min || number > max)
        {
            errors.Add(memberPath, $"expected {wanted}, got {value.GetRawText()}");
            return null;
        }

        return number;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; null (reported) when missing and required, or wrong.</summary>
    public int? WholeNumber(JsonElement obj, string path, string name, int min, int max, string wanted, bool required = true)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            if (required)
            {
                errors.Add(path, $"missing required property '{name}' ({wanted})");
            }

            return null;
        }

        string memberPath = JsonPositionIndex.Join(path, name);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number) || number != Math.Floor(number))
        {
            errors.Add(memberPath, $"expected {wanted}, got {Describe(value)}");
            return null;
        }

        if (number < min || number > max)
        {
            errors.Add(memberPath, $"expected {wanted}, got {value.GetRawText()}");
            return null;
        }

        return (int)number;
    }

    /// <summary>true or false; <paramref name="fallback"/> (and reported if present) otherwise.</summary>
    public bool Boolean(JsonElement obj, string path, string name, bool fallback)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return fallback;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add(JsonPositionIndex.Join(path, name), $"expected true or false, got {Describe(value)}");
        return fallback;
    }

    /// <summary>The value as compact JSON, keeping non-ASCII text as it is (SSE data is UTF-8, not HTML).</summary>
    public static string Compact(JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
        {
            value.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"{value.GetRawText()}",
        _ => "null",
    };

    /// <summary>The candidate within two edits of <paramref name="name"/> (case-insensitive), if any.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = 3;
        foreach (string candidate in candidates)
        {
            int distance = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
