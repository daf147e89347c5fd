using System.Net;
using System.Text;
using SseFlights.Metrics;

namespace SseFlights.Http;

/// <summary>GET /metrics: the server's instruments in the Prometheus text format, for a scraper.</summary>
internal sealed class MetricsEndpoint(MetricsRegistry registry)
{
    public Task HandleAsync(HttpListenerContext context, bool headOnly)
    {
        var response = context.Response;
        response.Headers["Cache-Control"] = "no-store";
        byte[] body = Encoding.UTF8.GetBytes(PrometheusText.Render(registry.Instruments()));
        return Responses.SendAsync(response, 200, PrometheusText.ContentType, body, headOnly);
    }
}
