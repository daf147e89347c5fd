using System.Net;

namespace SseFlights.Http;

/// <summary>GET and HEAD for the page's files, with ETag revalidation; no listings, nothing outside the web root.</summary>
internal sealed class StaticFileEndpoint(IFileSource files)
{
    public Task HandleAsync(HttpListenerContext context, RequestPath path, bool headOnly)
    {
        var response = context.Response;
        if (!path.Servable || files.Find(path.Segments) is not { } file)
        {
            return Responses.NotFoundAsync(response, headOnly);
        }

        response.Headers["ETag"] = file.ETag;
        response.Headers["Cache-Control"] = "no-cache";
        string? ifNoneMatch = context.Request.Headers["If-None-Match"];
        if (ifNoneMatch is not null && ifNoneMatch.Split(',').Any(tag => Matches(tag.Trim(), file.ETag)))
        {
            Responses.Empty(response, 304);
            return Task.CompletedTask;
        }

        return Responses.SendAsync(response, 200, file.ContentType, file.Content, headOnly);
    }

    /// <summary>If-None-Match uses the weak comparison (RFC 9110 §13.1.2): a W/ prefix does not matter.</summary>
    private static bool Matches(string tag, string etag) =>
        tag == "*" || (tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag) == etag;
}
