namespace Oriel.Graphics;

/// <summary>
/// The output of <see cref="FrameEncoder.Encode"/>: what to send a viewer for one update, in order:
/// a resize (when <see cref="SizeChanged"/>), then the <see cref="Copies"/>, then the
/// <see cref="Tiles"/>.
/// </summary>
/// <remarks>
/// Ownership: the frame owns one pooled buffer holding every tile's image bytes. The memory in
/// <see cref="Tiles"/> stays valid until this frame is passed to <see cref="FrameEncoder.Encode"/>
/// again or disposed. The gateway keeps one or two frames per viewer, sends a frame, and only then
/// reuses it; <see cref="Dispose"/> returns the buffer to the pool. Not thread-safe.
/// </remarks>
public sealed class EncodedFrame : IDisposable
{
    private readonly PooledBufferWriter _buffer;
    private CopyOperation[] _copies = [];
    private EncodedTile[] _tiles = [];
    private (Rect Area, int Offset, int Length, EncodedTileFormat Format)[] _pending = [];
    private int _copyCount;
    private int _tileCount;

    public EncodedFrame(int initialCapacity = 256 * 1024)
    {
        _buffer = new PooledBufferWriter(initialCapacity);
    }

    /// <summary>Screen width of the update.</summary>
    public int Width { get; private set; }

    /// <summary>Screen height of the update.</summary>
    public int Height { get; private set; }

    /// <summary>True when the viewer must resize (and drop its content) before applying the rest.</summary>
    public bool SizeChanged { get; private set; }

    /// <summary>Copies to apply first, in order.</summary>
    public ReadOnlyMemory<CopyOperation> Copies => _copies.AsMemory(0, _copyCount);

    /// <summary>Image tiles (PNG or JPEG) to draw after the copies, in order. They do not overlap.</summary>
    public ReadOnlyMemory<EncodedTile> Tiles => _tiles.AsMemory(0, _tileCount);

    /// <summary>Sum of the PNG tile sizes in bytes.</summary>
    public int PngBytes { get; private set; }

    /// <summary>Sum of the JPEG tile sizes in bytes.</summary>
    public int JpegBytes { get; private set; }

    /// <summary>Sum of all tile sizes in bytes (what flow control counts).</summary>
    public int ImageBytes => PngBytes + JpegBytes;

    /// <summary>Number of JPEG (lossy) tiles in this frame.</summary>
    public int JpegTiles { get; private set; }

    /// <summary>Number of tiles re-sent as PNG because the viewer showed them from a JPEG (lossless refinement).</summary>
    public int RefinedTiles { get; internal set; }

    /// <summary>Hash cells of the damage left out because the viewer already shows those pixels.</summary>
    public int SkippedTiles { get; internal set; }

    /// <summary>Pixels encoded (PNG or JPEG) for this frame.</summary>
    public long EncodedPixels { get; internal set; }

    public bool IsEmpty => !SizeChanged && _copyCount == 0 && _tileCount == 0;

    public void Dispose() => _buffer.Dispose();

    internal PooledBufferWriter Buffer => _buffer;

    internal void Reset(int width, int height, bool sizeChanged)
    {
        Width = width;
        Height = height;
        SizeChanged = sizeChanged;
        _buffer.Clear();
        _copyCount = 0;
        _tileCount = 0;
        SkippedTiles = 0;
        EncodedPixels = 0;
        PngBytes = 0;
        JpegBytes = 0;
        JpegTiles = 0;
        RefinedTiles = 0;
    }

    internal void AddCopy(CopyOperation copy)
    {
        if (_copyCount == _copies.Length) Array.Resize(ref _copies, Math.Max(8, _copyCount * 2));
        _copies[_copyCount++] = copy;
    }

    /// <summary>Records a tile by offset; the memory slices are made in <see cref="Complete"/>, once the buffer stops growing.</summary>
    internal void AddTile(Rect area, int offset, int length, EncodedTileFormat format = EncodedTileFormat.Png)
    {
        if (_tileCount == _pending.Length) Array.Resize(ref _pending, Math.Max(64, _tileCount * 2));
        _pending[_tileCount++] = (area, offset, length, format);
        if (format == EncodedTileFormat.Jpeg)
        {
            JpegBytes += length;
            JpegTiles++;
        }
        else
        {
            PngBytes += length;
        }
    }

    internal void Complete()
    {
        if (_tiles.Length < _pending.Length) _tiles = new EncodedTile[_pending.Length];
        var memory = _buffer.WrittenMemory;
        for (var i = 0; i < _tileCount; i++)
        {
            var (area, offset, length, format) = _pending[i];
            _tiles[i] = new EncodedTile(area, memory.Slice(offset, length), format);
        }
    }
}
