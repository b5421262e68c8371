using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>A message the client sends: it knows its encoded size and writes itself.</summary>
public interface IRfbClientMessage
{
    /// <summary>Encoded size in bytes.</summary>
    int Size { get; }

    /// <summary>Writes exactly <see cref="Size"/> bytes.</summary>
    void Encode(ref SpanWriter writer);
}
