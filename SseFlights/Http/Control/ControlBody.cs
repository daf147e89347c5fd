using System.Net;
using System.Text.Json;
using SseFlights.Scenario;

namespace SseFlights.Http.Control;

/// <summary>
/// A control request's JSON body read with the scenario loader's own checks, so its rules and messages are
/// a scenario file's, located in the body as <c>request:LINE:COLUMN: path: problem</c>.
/// </summary>
internal static class ControlBody
{
    /// <summary>
    /// The body of a <c>POST</c> read with <paramref name="read"/>, or null once the request has been answered:
    /// <c>405</c> for another method, <c>413</c> over <see cref="RequestBody.MaxBytes"/>, <c>400</c> for malformed
    /// JSON and <c>422</c> with every problem found.
    /// </summary>
    public static async Task<T?> ReadPostAsync<T>(HttpListenerContext context, Func<JsonElement, JsonChecks, T?> read)
        where T : class
    {
        var response = context.Response;
        if (context.Request.HttpMethod != "POST")
        {
            await Responses.MethodNotAllowedAsync(response, "POST").ConfigureAwait(false);
            return null;
        }

        if (await RequestBody.ReadBytesAsync(context.Request).ConfigureAwait(false) is not { } body)
        {
            await TooLargeAsync(response).ConfigureAwait(false);
            return null;
        }

        try
        {
            return Read(body, read);
        }
        catch (JsonException ex)
        {
            await MalformedAsync(response, ex).ConfigureAwait(false);
        }
        catch (ScenarioException ex)
        {
            await Responses.TextAsync(response, 422, string.Join("\n", ex.Errors)).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>
    /// Reads <paramref name="utf8"/> with <paramref name="read"/>; throws <see cref="JsonException"/> on malformed
    /// JSON and <see cref="ScenarioException"/> with every problem found.
    /// </summary>
    public static T Read<T>(byte[] utf8, Func<JsonElement, JsonChecks, T?> read)
        where T : class
    {
        var positions = JsonPositionIndex.Build(utf8);
        using var document = JsonDocument.Parse(utf8);
        var errors = new ScenarioErrors("request", positions, rootName: "the body");
        foreach (string duplicate in positions.Duplicates)
        {
            errors.Add(duplicate, $"property '{duplicate[(duplicate.LastIndexOf('.') + 1)..]}' appears twice; keep one");
        }

        var checks = new JsonChecks(errors);
        var value = checks.IsObject(document.RootElement, "", "an object") ? read(document.RootElement, checks) : null;
        return errors.Any || value is null ? throw new ScenarioException(errors.Messages) : value;
    }

    /// <summary><c>413</c>: the body was over <see cref="RequestBody.MaxBytes"/> (read no further; the connection is not kept).</summary>
    public static Task TooLargeAsync(HttpListenerResponse response)
    {
        response.KeepAlive = false;
        return Responses.TextAsync(response, 413, $"Content too large: a control request body may be at most {RequestBody.MaxBytes} bytes.");
    }

    /// <summary><c>400</c> with where the JSON broke.</summary>
    public static Task MalformedAsync(HttpListenerResponse response, JsonException ex) =>
        Responses.TextAsync(response, 400, $"Bad request: malformed JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}.");
}
