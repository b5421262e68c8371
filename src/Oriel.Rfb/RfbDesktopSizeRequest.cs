namespace Oriel.Rfb;

/// <summary>What <see cref="RfbClient.RequestDesktopSize"/> did with a wish for a new desktop size.</summary>
public enum RfbDesktopSizeRequest
{
    /// <summary>SetDesktopSize is queued for sending; the answer comes inside a FramebufferUpdate.</summary>
    Sent,

    /// <summary>
    /// The server has not shown yet whether it can resize (<see cref="RfbDesktopSizeSupport.Unknown"/>): the
    /// engine keeps the latest wish and, when the first FramebufferUpdate completes, sends it, or emits
    /// <see cref="RfbDesktopSizeUnsupported"/> when the server turns out unable to resize.
    /// </summary>
    Deferred,

    /// <summary>The server cannot be resized (<see cref="RfbDesktopSizeSupport.Unsupported"/>); nothing was sent.</summary>
    NotSupported,

    /// <summary>The size is not a valid framebuffer size; nothing was sent.</summary>
    InvalidSize,
}
