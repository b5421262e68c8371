namespace Oriel.TestPeers;

/// <summary>What a <see cref="ScriptedVncServer"/> does once a client has connected (RFC 6143 message names).</summary>
public enum Misbehavior
{
    /// <summary>Answers the first (and every non-incremental) FramebufferUpdateRequest with one full-screen red Raw rectangle, then waits.</summary>
    WellBehaved,

    /// <summary>ServerInit (7.3.2) with a name-length of 0x7FFFFFFF followed by a few bytes; then waits.</summary>
    HugeNameLength,

    /// <summary>After the first update request: ServerCutText (7.6.4) with length 0x7FFFFFFF and a few bytes; then waits.</summary>
    HugeCutTextLength,

    /// <summary>After the first update request: a Raw rectangle (with its pixels) that extends past the framebuffer's right and bottom edges; then waits.</summary>
    RectangleOutsideFramebuffer,

    /// <summary>After the first update request: a full-screen Raw FramebufferUpdate cut off halfway through its pixels, then the server closes.</summary>
    TruncatedThenClose,

    /// <summary>After the first update request: a server-to-client message of unassigned type 77 and some bytes; then waits.</summary>
    UnknownMessageType,
}
