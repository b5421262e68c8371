using Oriel.Tdp;

namespace Oriel.Gateway.Desktop;

/// <summary>
/// Where a <see cref="DesktopSurface"/> sends what the browser is to draw: the browser's TDP channel
/// (<see cref="Sessions.TdpChannel"/>) in a session, a recorder in unit tests. Sends are serialised by the caller.
/// </summary>
public interface ITdpSender
{
    /// <summary>Sends one TDP message.</summary>
    ValueTask SendAsync(TdpMessage message);

    /// <summary>Sends one TDP message given as its encoded header and its payload, without copying them together.</summary>
    ValueTask SendFragmentedAsync(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> payload);
}
