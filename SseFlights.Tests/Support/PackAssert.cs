using SseFlights.Cli;
using SseFlights.Scenario;

namespace SseFlights.Tests.Support;

/// <summary>
/// The one check every client of the pack gets: it observes exactly the case's expect, or, if the
/// case records a deviation for it, exactly that deviation's observed values (and expect's where the
/// deviation records none). So a conforming client that starts to deviate fails, and so does a
/// deviating client that changes in any way, conforming included, until its entry is updated or removed.
/// </summary>
internal static class PackAssert
{
    /// <summary>How long a client waits before a reconnect when the stream never set one: the server's retry: and the spec's default.</summary>
    private static readonly int DefaultRetry = ServerOptions.Defaults.RetryMilliseconds;

    public static void ObservesExactly(ClientExpectation expect, string client, ClientObservation observed)
    {
        var wanted = expect.For(client);
        string against = expect.Deviations.TryGetValue(client, out var deviation)
            ? $"{client}'s recorded deviation (\"{deviation.Reason}\"); if it now conforms, remove the entry"
            : "expect: a conforming client's";
        if (wanted.Retry is { } measuredRetry && observed.Retry is { Measured: true })
        {
            Assume.That(measuredRetry, Is.LessThan(DefaultRetry - 500), "a measured wait tells retry from the default only when it is well below it");
        }

        Assert.Multiple(() =>
        {
            Assert.That(observed.Events.Select(ClientPack.Describe).ToList(), Is.EqualTo(wanted.Events.Select(ClientPack.Describe).ToList()), $"events, against {against}");
            if (observed.Requests is { } requests)
            {
                Assert.That(requests, Is.EqualTo(wanted.Requests), $"requests for /events, against {against}");
            }

            // What each request carried, from the server's log: each observed request read through its expected one's eyes.
            if (wanted.RequestLog is { } list && observed.RequestLog is { } log)
            {
                var seen = log.Select((request, i) => i < list.Count ? request.DescribeAs(list[i]) : $"{request.Method} (more than expected)");
                Assert.That(seen.ToList(), Is.EqualTo(list.Select(ObservedRequest.Describe).ToList()), $"the requests' method, headers and body, against {against}");
            }

            if (wanted.Retry is { } retry)
            {
                AssertRetry(retry, observed.Retry, against);
            }
        });
    }

    private static void AssertRetry(int retry, RetryReading? observed, string against)
    {
        if (observed is null)
        {
            Assert.Fail($"retry: the client never waited to reconnect, against {against}");
        }
        else if (!observed.Measured)
        {
            Assert.That(observed.Milliseconds, Is.EqualTo(retry), $"retry, against {against}");
        }
        else
        {
            // A measured wait runs from the error event to the next request's end: at least retry (less
            // 50 ms: the timer starts a hair before the error event), and below the 3000 ms default it
            // would have kept had it ignored retry: (one that took '15x' as 15 fails the lower bound).
            Assert.That(observed.Milliseconds, Is.InRange(retry - 50, DefaultRetry - 1), $"the last wait before a reconnect (ms), against {against}");
        }
    }
}
