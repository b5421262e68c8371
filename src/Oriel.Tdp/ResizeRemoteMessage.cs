using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// Oriel message 107 "resize remote" (docs/tdp.md), client → server: whether the client's screen specs (1)
/// ask the server to resize the remote desktop. <c>| 107 | mode byte |</c>; mode 0 keep, 1 follow.
/// Sent between client username (7) and the first screen spec so that the user's choice holds as the
/// session opens (RFD 37 makes that first screen spec a size, not a wish); sent again when the user
/// changes it. A client that never sends it gets <see cref="RemoteResizeMode.Follow"/>.
/// </summary>
public sealed record ResizeRemoteMessage(RemoteResizeMode Mode) : TdpMessage
{
    /// <summary>type(1) mode(1).</summary>
    public const int FixedSize = 2;

    public override TdpMessageType Type => TdpMessageType.ResizeRemote;

    public override int Size => FixedSize;

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckEnum((byte)Mode, (byte)RemoteResizeMode.Follow, "mode");
        w.WriteByte((byte)Type);
        w.WriteByte((byte)Mode);
    }

    internal static ResizeRemoteMessage Decode(ref SpanReader r) =>
        new((RemoteResizeMode)TdpFields.ReadEnum(ref r, (byte)RemoteResizeMode.Follow, "mode"));
}
