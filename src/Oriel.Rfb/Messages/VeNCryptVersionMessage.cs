using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// VeNCrypt version, rfbproto "VeNCrypt" (security type 19): major u8, minor u8. Sent by the server
/// (its highest version), then by the client (the version to use; this client speaks 0.2 only).
/// </summary>
public readonly record struct VeNCryptVersionMessage(byte Major, byte Minor) : IRfbClientMessage
{
    public const int Length = 2;

    public static readonly VeNCryptVersionMessage V02 = new(0, 2);

    public int Size => Length;

    public static VeNCryptVersionMessage Decode(ref SpanReader reader) => new(reader.ReadByte("major"), reader.ReadByte("minor"));

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteByte(Major);
        writer.WriteByte(Minor);
    }

    /// <summary>True when this server version is at least 0.2.</summary>
    public bool Supports02 => Major > 0 || Minor >= 2;
}
