using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// One TDP message (RFD 37 and docs/tdp.md). Immutable; <see cref="Size"/> is the whole encoded
/// length including the type byte, and <see cref="Encode"/> writes exactly that many bytes.
/// Decode with <see cref="TdpCodec.Decode"/>.
/// </summary>
public abstract record TdpMessage
{
    /// <summary>The message type byte.</summary>
    public abstract TdpMessageType Type { get; }

    /// <summary>Encoded length in bytes, type byte included.</summary>
    public abstract int Size { get; }

    /// <summary>
    /// Writes the message, type byte first. Throws <see cref="ArgumentException"/> if a field is out
    /// of range or over its cap (the peer would refuse it), before writing anything.
    /// </summary>
    public abstract void Encode(ref SpanWriter w);
}
