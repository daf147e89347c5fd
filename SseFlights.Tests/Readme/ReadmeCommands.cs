using System.Text.RegularExpressions;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Readme;

/// <summary>A command as README shows it (continuation lines joined), and the output shown after it, if any.</summary>
internal sealed record ReadmeCommand(string Text, string? ShownOutput);

/// <summary>
/// Reads README.md's code blocks: the commands in its <c>sh</c> blocks, and the <c>$ </c> lines of its
/// <c>text</c> blocks with the output shown under each.
/// </summary>
internal static partial class ReadmeCommands
{
    public static string Text => File.ReadAllText(Path.Combine(Scenarios.RepoRoot, "README.md"));

    /// <summary>Every command README shows, in order (a command shown twice is listed twice).</summary>
    public static IReadOnlyList<ReadmeCommand> All()
    {
        var commands = new List<ReadmeCommand>();
        foreach (Match block in CodeBlock().Matches(Text))
        {
            string language = block.Groups[1].Value;
            var lines = block.Groups[2].Value.Split('\n');
            // A block with "$ " prompts is a transcript: commands and what they print.
            if (language is "sh" or "text" && lines.Any(l => l.StartsWith("$ ", StringComparison.Ordinal)))
            {
                commands.AddRange(Transcript(lines));
            }
            else if (language == "sh")
            {
                commands.AddRange(Joined(lines).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => new ReadmeCommand(l, null)));
            }
        }

        return commands;
    }

    /// <summary>The commands that talk to a server: those that run curl or sseflights.</summary>
    public static IReadOnlyList<ReadmeCommand> TalkingToAServer() =>
        [.. All().Where(c => c.Text.StartsWith("curl ", StringComparison.Ordinal) || c.Text.StartsWith("sseflights ", StringComparison.Ordinal))];

    /// <summary>The one command with this exact text; fails the test when README no longer shows it.</summary>
    public static ReadmeCommand Find(string text)
    {
        var found = All().Where(c => c.Text == text).ToList();
        Assert.That(found, Is.Not.Empty, $"README no longer shows: {text}");
        return found[0];
    }

    /// <summary>The body of the code block in <paramref name="language"/> that follows <paramref name="marker"/> in README.</summary>
    public static string BlockAfter(string marker, string language)
    {
        string text = Text;
        int at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), $"README no longer says: {marker}");
        var block = CodeBlock().Match(text, at);
        Assert.That(block.Groups[1].Value, Is.EqualTo(language), $"the block after '{marker}'");
        return block.Groups[2].Value;
    }

    /// <summary>Lines of a transcript: "$ command" then its output, up to the next "$ " line.</summary>
    private static IEnumerable<ReadmeCommand> Transcript(string[] lines)
    {
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("$ ", StringComparison.Ordinal))
            {
                continue;
            }

            string command = lines[i][2..];
            while (command.EndsWith('\\') && i + 1 < lines.Length)
            {
                command = command[..^1].TrimEnd() + " " + lines[++i].Trim();
            }

            var output = new List<string>();
            while (i + 1 < lines.Length && !lines[i + 1].StartsWith("$ ", StringComparison.Ordinal))
            {
                output.Add(lines[++i]);
            }

            yield return new ReadmeCommand(command, string.Join('\n', output));
        }
    }

    /// <summary>Shell lines with their backslash continuations joined.</summary>
    private static IEnumerable<string> Joined(string[] lines)
    {
        string pending = "";
        foreach (string raw in lines)
        {
            string line = pending.Length == 0 ? raw.Trim() : pending + " " + raw.Trim();
            if (line.EndsWith('\\'))
            {
                pending = line[..^1].TrimEnd();
                continue;
            }

            pending = "";
            yield return line;
        }
    }

    [GeneratedRegex(@"^```(\w*)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
