using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// VNC Authentication, [RFC 6143] 7.2.2: the server sends a 16-byte challenge, the client answers
/// with the 16-byte DES encryption of it (see <see cref="VncAuthentication"/>).
/// </summary>
public sealed record VncAuthenticationResponseMessage(byte[] Response) : IRfbClientMessage
{
    /// <summary>Challenge and response length.</summary>
    public const int Length = 16;

    public int Size => Length;

    public void Encode(ref SpanWriter writer)
    {
        if (Response.Length != Length) throw new InvalidOperationException("a VNC authentication response is 16 bytes");
        writer.WriteBytes(Response);
    }
}
