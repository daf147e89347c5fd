namespace SseFlights.Tests.Support;

/// <summary>Waits for a condition with a deadline instead of sleeping a guessed time.</summary>
internal static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T value = await probe();
        while (!done(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#}s waiting for {what}; last value: {value}");
            }

            await Task.Delay(20);
            value = await probe();
        }

        return value;
    }

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        ValueAsync(() => Task.FromResult(condition()), ok => ok, timeout, what);
}
