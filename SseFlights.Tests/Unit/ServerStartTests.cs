using System.Net;
using System.Net.Sockets;
using SseFlights.Cli;
using SseFlights.Http;
using SseFlights.Delivery;
using SseFlights.Scenario;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Unit;

/// <summary>Every way the listener can fail to start is one line for the user, never a stack trace.</summary>
public class ServerStartTests
{
    [Test]
    public async Task Start_PortHeldByAnotherSocket_SaysThePortIsInUse()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;
        await using var server = Build(ServerOptions.Defaults with { Port = port });

        var ex = Assert.Throws<ServerStartException>(server.Start);

        Assert.That(ex!.Message, Is.EqualTo($"port {port} is already in use; choose another with --port"));
    }

    [Test]
    public async Task Start_PrefixTheListenerRefuses_IsAStartFailureNotAnUnexpectedException()
    {
        // A host name with a space: HttpListener refuses the prefix when it is added, before Start,
        // the kind of failure that used to escape as a stack trace.
        await using var server = Build(ServerOptions.Defaults with { Port = 5999, Host = "no such host" });

        var ex = Assert.Throws<ServerStartException>(server.Start);

        Assert.That(ex!.Message, Is.EqualTo("cannot listen on port 5999: Only Uri prefixes with a valid hostname are supported."));
    }

    private static SseFlightsServer Build(ServerOptions options) =>
        Composition.BuildServer(options, ScenarioLoader.LoadBundled(), new EmbeddedFileSource(), TimeProvider.System, Serilog.Core.Logger.None);
}
