using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;

namespace Oriel.Rfb;

/// <summary>
/// Resizing the remote desktop (rfbproto "SetDesktopSize", "ExtendedDesktopSize Pseudo-encoding"). Whether the
/// server can resize is only known once its first FramebufferUpdate has completed (see
/// <see cref="RfbDesktopSizeSupport"/>), so a size asked for before then (typically the browser's size as the
/// session opens) is kept and settled at that moment rather than refused.
/// </summary>
public sealed partial class RfbClient
{
    /// <summary>The size asked for while support was still unknown; settled when the first update completes.</summary>
    private (int Width, int Height)? _deferredDesktopSize;

    /// <summary>What the server has shown about SetDesktopSize so far.</summary>
    public RfbDesktopSizeSupport DesktopSizeSupport => _server switch
    {
        null => RfbDesktopSizeSupport.Unknown,
        { ServerSupportsSetDesktopSize: true } => RfbDesktopSizeSupport.Supported,
        { UpdatesCompleted: 0 } => RfbDesktopSizeSupport.Unknown,
        _ => RfbDesktopSizeSupport.Unsupported,
    };

    /// <summary>The size kept by a <see cref="RfbDesktopSizeRequest.Deferred"/> request, until it is settled.</summary>
    public (int Width, int Height)? DeferredDesktopSize => _deferredDesktopSize;

    /// <summary>
    /// Asks for a desktop of <paramref name="width"/> x <paramref name="height"/>: SetDesktopSize with one
    /// screen covering it, keeping the id and flags of the server's first screen. While
    /// <see cref="DesktopSizeSupport"/> is unknown the wish is kept (the latest replaces earlier ones) and
    /// settled when the first FramebufferUpdate completes: sent if the server can resize and the size
    /// differs from the framebuffer's then, otherwise reported as <see cref="RfbDesktopSizeUnsupported"/>.
    /// The server's answer arrives as <see cref="RfbFramebufferResized"/> or <see cref="RfbDesktopSizeRefused"/>.
    /// </summary>
    public RfbDesktopSizeRequest RequestDesktopSize(int width, int height)
    {
        EnsureNormal();
        if (!Graphics.Framebuffer.IsValidSize(width, height)) return RfbDesktopSizeRequest.InvalidSize;
        switch (DesktopSizeSupport)
        {
            case RfbDesktopSizeSupport.Unknown:
                _deferredDesktopSize = (width, height);
                return RfbDesktopSizeRequest.Deferred;
            case RfbDesktopSizeSupport.Unsupported:
                return RfbDesktopSizeRequest.NotSupported;
            default:
                _deferredDesktopSize = null;
                SendSetDesktopSize(width, height);
                return RfbDesktopSizeRequest.Sent;
        }
    }

    /// <summary>
    /// Forgets a size kept by a <see cref="RfbDesktopSizeRequest.Deferred"/> request, so that nothing is sent
    /// when the first update completes (the user no longer wants the desktop resized). A SetDesktopSize
    /// already sent cannot be taken back.
    /// </summary>
    public void WithdrawDesktopSize() => _deferredDesktopSize = null;

    /// <summary>Events of the normal phase pass here, so that the first completed update settles a deferred size.</summary>
    private void OnServerEvent(RfbEvent ev)
    {
        Emit(ev);
        if (ev is RfbUpdateCompleted && _deferredDesktopSize is { } wish && DesktopSizeSupport != RfbDesktopSizeSupport.Unknown)
        {
            _deferredDesktopSize = null;
            var fb = Framebuffer!;
            if (wish.Width == fb.Width && wish.Height == fb.Height) return;
            if (DesktopSizeSupport == RfbDesktopSizeSupport.Supported)
            {
                SendSetDesktopSize(wish.Width, wish.Height);
            }
            else
            {
                Emit(new RfbDesktopSizeUnsupported(wish.Width, wish.Height));
            }
        }
    }

    private void SendSetDesktopSize(int width, int height)
    {
        var server = _server!;
        var first = server.Screens.Count > 0 ? server.Screens[0] : new DesktopScreen(0, 0, 0, 0, 0, 0);
        var screen = first with { X = 0, Y = 0, Width = (ushort)width, Height = (ushort)height };
        Send(new SetDesktopSizeMessage((ushort)width, (ushort)height, [screen]));
    }
}
