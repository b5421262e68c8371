using Oriel.Graphics;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;

namespace Oriel.Rfb;

/// <summary>Client-to-server input and requests ([RFC 6143] 7.5; SetDesktopSize is in RfbClient.DesktopSize.cs). All need <see cref="RfbPhase.Normal"/>.</summary>
public sealed partial class RfbClient
{
    /// <summary>KeyEvent ([RFC 6143] 7.5.4) for an X keysym.</summary>
    public void SendKey(uint keysym, bool down)
    {
        EnsureNormal();
        Send(new KeyEventMessage(down, keysym));
    }

    /// <summary>PointerEvent ([RFC 6143] 7.5.5); the position is clamped into the framebuffer. Mask bits: 0 left, 1 middle, 2 right, 3/4 wheel up/down, 5/6 wheel left/right.</summary>
    public void SendPointer(int x, int y, byte buttonMask)
    {
        EnsureNormal();
        var fb = Framebuffer!;
        Send(new PointerEventMessage(buttonMask, (ushort)Math.Clamp(x, 0, fb.Width - 1), (ushort)Math.Clamp(y, 0, fb.Height - 1)));
    }

    /// <summary>FramebufferUpdateRequest ([RFC 6143] 7.5.3) for the whole framebuffer.</summary>
    public void RequestUpdate(bool incremental)
    {
        EnsureNormal();
        var fb = Framebuffer!;
        Send(new FramebufferUpdateRequestMessage(incremental, 0, 0, (ushort)fb.Width, (ushort)fb.Height));
    }

    /// <summary>
    /// FramebufferUpdateRequest ([RFC 6143] 7.5.3) for part of the framebuffer, clipped to it (at least 1x1).
    /// A non-incremental request obliges the server to send that area, so a 1x1 one is how a driver checks
    /// that a silent server is still there: RFB has no ping.
    /// </summary>
    public void RequestUpdate(bool incremental, Rect area)
    {
        EnsureNormal();
        var fb = Framebuffer!;
        var x = Math.Clamp(area.X, 0, fb.Width - 1);
        var y = Math.Clamp(area.Y, 0, fb.Height - 1);
        var width = Math.Clamp(area.Width, 1, fb.Width - x);
        var height = Math.Clamp(area.Height, 1, fb.Height - y);
        Send(new FramebufferUpdateRequestMessage(incremental, (ushort)x, (ushort)y, (ushort)width, (ushort)height));
    }

    private void EnsureNormal()
    {
        if (Phase != RfbPhase.Normal) throw new InvalidOperationException($"the RFB session is not connected (phase {Phase})");
    }
}
