namespace Oriel.Graphics;

/// <summary>
/// One PNG-encoded rectangle of a frame: <see cref="Png"/> is a complete PNG file of
/// <see cref="Area"/>'s pixels. The bytes belong to the <see cref="EncodedFrame"/> that holds the
/// tile and are valid until that frame is reused or disposed.
/// </summary>
public readonly record struct EncodedTile(Rect Area, ReadOnlyMemory<byte> Png);
