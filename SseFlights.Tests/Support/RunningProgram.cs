namespace SseFlights.Tests.Support;

/// <summary>
/// The built program serving on a port of its own, with a client for it; disposing it stops the process by its
/// PID, then deletes <paramref name="folder"/> (the temp folder it was started in), when given.
/// </summary>
internal abstract class RunningProgram(BuiltProgram program, int port, string host, string? folder) : IAsyncDisposable
{
    public BuiltProgram Program { get; } = program;

    public int Port { get; } = port;

    public HttpClient Http { get; } = new() { BaseAddress = new Uri($"http://{host}:{port}/"), Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>
    /// Starts <paramref name="count"/> of them side by side; if any start fails, the ones that did start are
    /// stopped before the failure is thrown (never a process left behind a failed start).
    /// </summary>
    public static async Task<T[]> StartSideBySideAsync<T>(int count, Func<Task<T>> start)
        where T : RunningProgram
    {
        var starting = Enumerable.Range(0, count).Select(_ => start()).ToList();
        try
        {
            return await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Deletes a test's temp folder; one left behind (a file still held open) is harmless.</summary>
    public static void DeleteFolder(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleaning.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Program.DisposeAsync();
        if (folder is not null)
        {
            DeleteFolder(folder);
        }
    }
}
