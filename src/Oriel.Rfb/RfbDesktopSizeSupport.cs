namespace Oriel.Rfb;

/// <summary>
/// Whether the server accepts SetDesktopSize (rfbproto "ExtendedDesktopSize Pseudo-encoding"). A server
/// that supports it must send an ExtendedDesktopSize rectangle in reply to a non-incremental
/// FramebufferUpdateRequest from a client that asked for the pseudo-encoding; the engine sends that
/// request right after ServerInit, so the first completed FramebufferUpdate settles the question.
/// </summary>
public enum RfbDesktopSizeSupport
{
    /// <summary>The server's first FramebufferUpdate has not completed yet.</summary>
    Unknown,

    /// <summary>The server sent ExtendedDesktopSize: SetDesktopSize may be sent.</summary>
    Supported,

    /// <summary>The first FramebufferUpdate carried no ExtendedDesktopSize: the server cannot be resized by the client.</summary>
    Unsupported,
}
