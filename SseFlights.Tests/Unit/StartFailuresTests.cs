using System.Net;
using System.Net.Sockets;
using SseFlights.Http.Listener;

namespace SseFlights.Tests.Unit;

/// <summary>A failed start is told by what the error is, never by its message's words.</summary>
public class StartFailuresTests
{
    [Test]
    public void IsAddressInUse_ByTheErrorCode()
    {
        Assert.That(StartFailures.IsAddressInUse(new HttpListenerException(98, "whatever the text says")), Is.True, "Linux's EADDRINUSE");
        Assert.That(StartFailures.IsAddressInUse(new SocketException((int)SocketError.AddressAlreadyInUse)), Is.True);
        Assert.That(StartFailures.IsAddressInUse(new HttpListenerException(50, "Address already in use")), Is.False, "another error with those words is another error");
    }

    [Test]
    public void StartRace_ArgumentNullException_IsTheRace_AndAPortInUseOnlyAfterIt()
    {
        var inUse = new HttpListenerException(98, "Address already in use");

        Assert.That((StartRace.Lost(new ArgumentNullException("listener"), 1), StartRace.Lost(inUse, 1), StartRace.Lost(inUse, 2)), Is.EqualTo((true, false, true)));
        Assert.That(StartRace.Lost(new ArgumentNullException("listener"), StartRace.MaxAttempts), Is.False, "the last attempt's failure is reported");
    }
}
