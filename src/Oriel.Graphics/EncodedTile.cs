namespace Oriel.Graphics;

/// <summary>
/// One encoded rectangle of a frame: <see cref="Data"/> is a complete image file of
/// <see cref="Area"/>'s pixels in <see cref="Format"/> (PNG: exact; JPEG: lossy, refined to PNG by
/// <see cref="FrameEncoder.RequestRefinement"/> once the area is quiet). The bytes belong to the
/// <see cref="EncodedFrame"/> that holds the tile and are valid until that frame is reused or disposed.
/// </summary>
public readonly record struct EncodedTile(Rect Area, ReadOnlyMemory<byte> Data, EncodedTileFormat Format)
{
    /// <summary>True for a lossy (JPEG) tile.</summary>
    public bool IsLossy => Format == EncodedTileFormat.Jpeg;
}
