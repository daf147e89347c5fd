using SseFlights.Cli;
using System.Globalization;
using System.Net;
using SseFlights.Scenario;

namespace SseFlights.Record;

/// <summary><c>sseflights record URL</c>: records a live stream, then writes it as a scenario to a file or stdout.</summary>
internal sealed class RecordCommand(HttpClient http, TimeProvider time, TextWriter stdout, TextWriter stderr)
{
    /// <summary>The recorder, once connected: tests watch its progress.</summary>
    public StreamRecorder Recorder { get; } = new(http, time);

    /// <summary>An HttpClient for recording: no overall timeout (a stream is long), but a bounded connect.</summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    public async Task<int> RunAsync(RecordOptions options, CancellationToken interrupted)
    {
        RecordingEnd end;
        try
        {
            end = await Recorder.RecordAsync(
                options,
                e => e.EventType != EventNames.Snapshot,
                () => stderr.WriteLine($"sseflights record: recording {options.Url}; Ctrl+C stops and writes what was recorded"),
                interrupted).ConfigureAwait(false);
        }
        catch (RecordException ex)
        {
            await stderr.WriteLineAsync($"sseflights record: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"sseflights record: interrupted before {options.Url} answered; nothing recorded").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        string stamp = time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        var converter = new RecordingConverter($"Recorded from {options.Url} at {stamp}");
        byte[] scenario = converter.Convert(Recorder.Events);
        foreach (string note in converter.Notes)
        {
            await stderr.WriteLineAsync($"sseflights record: {note}").ConfigureAwait(false);
        }

        try
        {
            if (options.OutputPath is { } path)
            {
                await File.WriteAllBytesAsync(path, scenario, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteAsync(System.Text.Encoding.UTF8.GetString(scenario)).ConfigureAwait(false);
                await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"sseflights record: cannot write {options.OutputPath}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await stderr.WriteLineAsync($"sseflights record: {converter.Entries} entries recorded; stopped because {Describe(end)}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static string Describe(RecordingEnd end) => end switch
    {
        RecordingEnd.StreamEnded => "the stream ended",
        RecordingEnd.StreamBroke => "the connection broke",
        RecordingEnd.Duration => "--duration ran out",
        RecordingEnd.EventCount => "--events were recorded",
        RecordingEnd.Interrupted => "it was interrupted",
        _ => "the source sent closedConnection",
    };
}
