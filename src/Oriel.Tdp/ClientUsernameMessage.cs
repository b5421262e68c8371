using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// RFD 37 message 7 "client username", client → server: the login to use on the remote desktop.
/// First message of the handshake. <c>| 7 | username_length uint32 | username []byte |</c>;
/// UTF-8, at most <see cref="TdpLimits.MaxUsernameBytes"/> bytes.
/// </summary>
public sealed record ClientUsernameMessage(string Username) : TdpMessage
{
    /// <summary>type(1) username_length(4).</summary>
    public const int HeaderSize = 5;

    public override TdpMessageType Type => TdpMessageType.ClientUsername;

    public override int Size => HeaderSize + TdpFields.Utf8Length(Username);

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckCap(TdpFields.Utf8Length(Username), TdpLimits.MaxUsernameBytes, "username_length");
        w.WriteByte((byte)Type);
        w.WriteString32(Username);
    }

    internal static ClientUsernameMessage Decode(ref SpanReader r) =>
        new(r.ReadString32(TdpLimits.MaxUsernameBytes, "username_length"));
}
