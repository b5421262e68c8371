using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>ClientInit, [RFC 6143] 7.3.1: shared-flag u8 (non-zero: leave other clients connected).</summary>
public readonly record struct ClientInitMessage(bool Shared) : IRfbClientMessage
{
    public int Size => 1;

    public void Encode(ref SpanWriter writer) => writer.WriteBool(Shared);

    public static ClientInitMessage Decode(ref SpanReader reader) => new(reader.ReadBool("shared-flag"));
}
