using Microsoft.Extensions.Time.Testing;

namespace SseFlights.Tests.Browser;

/// <summary>Moves a scenario's fake clock to an absolute moment, so a test reads like the timeline it plays.</summary>
internal static class FakeClock
{
    /// <summary>Advances to <paramref name="scenarioSeconds"/> after the clock's start (the server was built at its start).</summary>
    public static void AdvanceTo(this FakeTimeProvider time, double scenarioSeconds)
    {
        var due = time.Start + TimeSpan.FromSeconds(scenarioSeconds);
        var now = time.GetUtcNow();
        Assert.That(due, Is.GreaterThanOrEqualTo(now), $"the clock is already past {scenarioSeconds}s");
        time.Advance(due - now);
    }

    public static double ScenarioSeconds(this FakeTimeProvider time) => (time.GetUtcNow() - time.Start).TotalSeconds;
}
