using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace SseFlights.Cli;

/// <summary>The <c>record</c> subcommand's arguments, each checked with a message that says what would be right.</summary>
internal sealed class RecordArguments
{
    private readonly Argument<Uri> _url = new("URL")
    {
        Description = "The event stream to record, e.g. http://localhost:5000/events.",
        CustomParser = ParseUrl,
    };
    private readonly Option<KeyValuePair<string, string>[]> _headers = new("--header", "-H")
    {
        Description = "A request header to send, as \"Name: value\" (repeatable).",
        HelpName = "\"NAME: VALUE\"",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = ParseHeaders,
    };
    private readonly Option<string?> _output = new("--output", "-o")
    {
        Description = "File to write the scenario to. [default: stdout]",
        HelpName = "FILE",
    };
    private readonly Option<double?> _duration = new("--duration")
    {
        Description = "Stop after this many seconds. [default: until the stream ends]",
        HelpName = "SECONDS",
        CustomParser = result => Positive(result, "--duration", "a number of seconds greater than 0 (at most 31536000)", 31_536_000, (string t, NumberStyles s, IFormatProvider p, out double v) => double.TryParse(t, s, p, out v)),
    };
    private readonly Option<int?> _events = new("--events")
    {
        Description = "Stop after this many events (a first snapshot, which becomes the flights, does not count). [default: no limit]",
        HelpName = "N",
        CustomParser = result => Positive(result, "--events", "a whole number from 1 to 1000000", 1_000_000, (string t, NumberStyles s, IFormatProvider p, out int v) => int.TryParse(t, NumberStyles.None, p, out v)),
    };

    private delegate bool TryParse<T>(string text, NumberStyles styles, IFormatProvider provider, out T value);

    public Command Command(Func<RecordOptions, CancellationToken, Task<int>> record)
    {
        var command = new Command("record", "Record a live SSE stream as a scenario file (stops at --duration, --events, Ctrl+C or the stream's end).");
        command.Arguments.Add(_url);
        foreach (Option option in new Option[] { _headers, _output, _duration, _events })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => record(
            new RecordOptions(result.GetValue(_url)!, result.GetValue(_headers) ?? [], result.GetValue(_output), result.GetValue(_duration), result.GetValue(_events)),
            cancellationToken));
        return command;
    }

    private static Uri ParseUrl(ArgumentResult result)
    {
        string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (Uri.TryCreate(token, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            return url;
        }

        result.AddError($"URL must be an absolute http:// or https:// address such as http://localhost:5000/events; got '{token}'");
        return new Uri("http://localhost/");
    }

    private static KeyValuePair<string, string>[] ParseHeaders(ArgumentResult result)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (string token in result.Tokens.Select(t => t.Value))
        {
            int colon = token.IndexOf(':');
            string name = colon < 0 ? "" : token[..colon].Trim();
            string value = colon < 0 ? "" : token[(colon + 1)..].Trim();
            if (colon <= 0 || name.Length == 0 || !name.All(IsTokenChar) || value.Any(c => c is '\r' or '\n' or '\0'))
            {
                result.AddError($"--header must be \"Name: value\" with a header name of letters, digits or !#$%&'*+-.^_`|~; got '{token}'");
                continue;
            }

            headers.Add(new(name, value));
        }

        return [.. headers];
    }

    /// <summary>RFC 9110 §5.6.2 token characters, the only ones a header name may have.</summary>
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);

    private static T? Positive<T>(ArgumentResult result, string name, string wanted, T max, TryParse<T> parse)
        where T : struct, IComparable<T>
    {
        string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (parse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out T value) && value.CompareTo(default) > 0 && value.CompareTo(max) <= 0)
        {
            return value;
        }

        result.AddError($"{name} must be {wanted}; got '{token}'");
        return null;
    }
}
