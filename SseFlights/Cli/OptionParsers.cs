using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Serilog.Events;

namespace SseFlights.Cli;

/// <summary>The command line's value checks: each gives the value, or one error line saying what would be right.</summary>
internal static class OptionParsers
{
    /// <summary>A number from <paramref name="min"/> to <paramref name="max"/>, or one line saying what would be right (a whole number has no sign, exponent or spaces).</summary>
    public static Option<T> Number<T>(string name, string helpName, T defaultValue, T min, T max, string wanted, string description, params string[] aliases)
        where T : INumber<T>
    {
        return new Option<T>(name, aliases)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                var styles = typeof(T) == typeof(double) ? NumberStyles.Float : NumberStyles.None;
                if (T.TryParse(token, styles, CultureInfo.InvariantCulture, out T? value) && value >= min && value <= max)
                {
                    return value;
                }

                result.AddError($"{name} must be {wanted}; got '{token}'");
                return defaultValue;
            },
        };
    }

    public static DateTimeOffset? ParseEpoch(ArgumentResult result)
    {
        string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (EpochPattern.IsMatch(token) && DateTimeOffset.TryParse(token, CultureInfo.InvariantCulture, DateTimeStyles.None, out var epoch))
        {
            return epoch;
        }

        result.AddError($"--epoch must be an ISO 8601 time with Z or an offset, such as 2026-12-01T08:00:00Z or 2026-12-01T09:00:00+01:00; got '{token}'");
        return null;
    }

    // A time without Z or an offset would mean a different instant on each machine's time zone.
    private static readonly Regex EpochPattern = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant);

    public static string ParseHost(ArgumentResult result)
    {
        string host = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (host.Length == 0 || host.Any(c => c is '/' or ':' or ' ' || char.IsControl(c)))
        {
            result.AddError($"--host must be a host name or address such as localhost, 127.0.0.1 or 0.0.0.0; got '{host}'");
        }

        return host;
    }

    public static string[] ParseOrigins(ArgumentResult result)
    {
        var origins = result.Tokens.Select(t => t.Value).ToArray();
        foreach (string origin in origins.Where(o => !OriginSyntax.IsValid(o)))
        {
            result.AddError($"--cors-origin must be an origin such as https://example.com or http://localhost:3000 (no path), or '*'; got '{origin}'");
        }

        return origins;
    }

    public static LogEventLevel ParseLogLevel(ArgumentResult result)
    {
        string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (Enum.TryParse(token, ignoreCase: true, out LogEventLevel level) && Enum.IsDefined(level) && !int.TryParse(token, out _))
        {
            return level;
        }

        result.AddError($"--log-level must be one of Verbose, Debug, Information, Warning, Error, Fatal; got '{token}'");
        return ServerOptions.Defaults.LogLevel;
    }

    public static string ParseLogFormat(ArgumentResult result)
    {
        string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (token is not ("text" or "json"))
        {
            result.AddError($"--log-format must be text or json; got '{token}'");
        }

        return token;
    }
}
