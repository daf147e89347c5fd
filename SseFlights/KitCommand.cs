using Serilog;
using SseFlights.Cli;
using SseFlights.Http;
using SseFlights.Kit;

namespace SseFlights;

/// <summary><c>sseflights kit</c>: every case of the bundled pack at once, until a signal.</summary>
internal static class KitCommand
{
    public static async Task<int> RunAsync(KitOptions options, CancellationToken cancellationToken)
    {
        Log.Logger = Logging.Create(ServerOptions.Defaults with { Port = options.Port, Host = options.Host });
        using var signals = new StopSignals(cancellationToken);
        try
        {
            var cases = KitPack.LoadBundled();
            await using var kit = Composition.BuildKit(options, cases, TimeProvider.System, Log.Logger);
            kit.Start();
            if (ListenerPrefixes.IsAllInterfaces(options.Host))
            {
                Log.Warning("Listening on every interface (--host {Host}): the kit is now reachable from the network", options.Host);
            }

            Log.Information("SseFlights is live: open {KitUrl} to grade a browser's EventSource against {Cases} cases", ListenerPrefixes.BaseUrl(options.Host, options.Port) + "kit/", cases.Count);
            await kit.RunAsync(signals.Stop).ConfigureAwait(false);
            Log.Information("Stopped cleanly");
            return ExitCodes.Ok;
        }
        catch (ServerStartException ex)
        {
            await Log.CloseAndFlushAsync().ConfigureAwait(false);
            Console.Error.WriteLine($"sseflights: {ex.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            await Log.CloseAndFlushAsync().ConfigureAwait(false);
        }
    }
}
