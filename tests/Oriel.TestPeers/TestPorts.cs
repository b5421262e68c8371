using System.Net;
using System.Net.Sockets;

namespace Oriel.TestPeers;

/// <summary>Free TCP ports on the loopback interface.</summary>
public static class TestPorts
{
    /// <summary>A port that was free a moment ago (bind 127.0.0.1:0, read it, close). Callers retry if they lose a race.</summary>
    public static int GetFreePort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
