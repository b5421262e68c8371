namespace Oriel.Rfb;

/// <summary>Server-to-client messages in the normal phase ([RFC 6143] 7.6): <see cref="RfbServerMessageProcessor"/> does the work.</summary>
public sealed partial class RfbClient
{
    /// <summary>DesktopName pseudo-encoding, rfbproto "DesktopName Pseudo-encoding": name-length u32, name (UTF-8).</summary>
    public const int DesktopNamePseudoEncoding = -307;

    /// <summary>Normal-phase server messages, created at ServerInit; shared with the replay observer.</summary>
    private RfbServerMessageProcessor? _server;

    private bool StepNormal(ReadOnlySpan<byte> input, out int consumed) => _server!.Step(input, out consumed);
}
