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

    /// <summary>Accepts the TCP connection and never sends a byte (not even ProtocolVersion); reads until the client leaves.</summary>
    SilentAfterAccept,

    /// <summary>
    /// After the first update request: a FramebufferUpdate whose one Raw rectangle stops halfway through its pixels; then
    /// silent with the connection open (client messages are read, none answered), as a server that hung mid-message.
    /// </summary>
    StallsMidRectangle,

    /// <summary>
    /// Answers the first update request like <see cref="WellBehaved"/>, then never sends another byte though the connection
    /// stays open (client messages are read, none answered, not even non-incremental requests), as a server that stopped.
    /// </summary>
    StopsAnswering,
}
