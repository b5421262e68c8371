namespace Oriel.Graphics;

/// <summary>
/// Turns a <see cref="DesktopUpdate"/> into what is sent to one viewer: the copies as they are, and
/// the damage cut along a fixed grid of <see cref="FrameEncoderOptions.TileSize"/> tiles, one image per
/// tile covering the bounding box of the changed damage inside it, in raster order. A tile is a PNG,
/// or a JPEG where that pays (photo-like content, see <see cref="FrameEncoderOptions.JpegQuality"/>).
/// </summary>
/// <remarks>
/// <para>Unchanged-content skipping: after an update the viewer shows the framebuffer (exactly, but for
/// lossy tiles; the tracker's invariant), so the encoder remembers a hash of each
/// <see cref="FrameEncoderOptions.HashCellSize"/> cell's full content as last sent. Damage in a
/// cell whose hash has not changed is left out (servers often report damage where nothing changed).
/// Copies make the hashes of the cells they write unknown until those cells are next encoded.</para>
/// <para>Lossless refinement: hash cells a JPEG touched are remembered as lossy, with the time a tile
/// last touched them. <see cref="RequestRefinement"/> re-damages, in the viewer's tracker, the lossy
/// cells quiet for <see cref="FrameEncoderOptions.RefineDelay"/>; the next <see cref="Encode(Framebuffer, in DesktopUpdate, EncodedFrame, TimeSpan)"/>
/// sends them as PNG whatever their hash says, so the viewer ends with exact pixels. Going through the
/// tracker keeps the order of copies and images right. The encoder has no clock: callers pass the time.</para>
/// <para>Use one encoder per viewer, fed by that viewer's <see cref="UpdateTracker"/>. When the viewer
/// loses its screen (reconnect, full refresh), call <see cref="ResetCache"/> (a resize does it
/// automatically). Not thread-safe.</para>
/// </remarks>
public sealed partial class FrameEncoder
{
    private readonly FrameEncoderOptions _options;
    private readonly PngEncoder _png;
    private readonly Grid _cells; // hash cells
    private readonly Grid _tiles; // encode tiles
    private ulong[] _hashes = [];
    private bool[] _known = [];
    private int _width;
    private int _height;
    private TimeSpan _now;

    public FrameEncoder(FrameEncoderOptions? options = null)
    {
        _options = options ?? FrameEncoderOptions.Default;
        if (_options.TileSize is < 16 or > 256) throw new ArgumentOutOfRangeException(nameof(options), "TileSize must be 16 .. 256");
        if (_options.HashCellSize < 8 || _options.HashCellSize > _options.TileSize || _options.TileSize % _options.HashCellSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "HashCellSize must be 8 .. TileSize and divide TileSize");
        }
        if (_options.JpegQuality is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(options), "JpegQuality must be 0 (off) .. 100");
        if (_options.JpegMinSide is < 8 or > 256) throw new ArgumentOutOfRangeException(nameof(options), "JpegMinSide must be 8 .. 256");
        if (_options.RefineDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "RefineDelay must not be negative");
        if (!(_options.JpegFallbackBytesPerPixel > 0)) throw new ArgumentOutOfRangeException(nameof(options), "JpegFallbackBytesPerPixel must be positive");
        _cells = new Grid(_options.HashCellSize);
        _tiles = new Grid(_options.TileSize);
        _png = new PngEncoder(_options.Png);
    }

    public FrameEncoderOptions Options => _options;

    /// <summary>Forgets what the viewer shows: the next update encodes all its damage.</summary>
    public void ResetCache()
    {
        Array.Clear(_known);
        ForgetLossy();
    }

    /// <summary>
    /// Encodes <paramref name="update"/> as of the time of the previous call (or zero); see
    /// <see cref="Encode(Framebuffer, in DesktopUpdate, EncodedFrame, TimeSpan)"/>.
    /// </summary>
    public void Encode(Framebuffer framebuffer, in DesktopUpdate update, EncodedFrame output) => Encode(framebuffer, update, output, _now);

    /// <summary>
    /// Encodes <paramref name="update"/> from the current pixels of <paramref name="framebuffer"/>
    /// into <paramref name="output"/> (which is cleared first; see <see cref="EncodedFrame"/> for who
    /// owns the bytes). The framebuffer must have the update's size. <paramref name="now"/> is a
    /// monotonic time (any origin, the same for every call) used to time lossless refinement.
    /// </summary>
    public void Encode(Framebuffer framebuffer, in DesktopUpdate update, EncodedFrame output, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(framebuffer);
        ArgumentNullException.ThrowIfNull(output);
        if (framebuffer.Width != update.Width || framebuffer.Height != update.Height)
        {
            throw new ArgumentException($"framebuffer is {framebuffer.Width}x{framebuffer.Height} but the update is for {update.Width}x{update.Height}", nameof(framebuffer));
        }
        _now = now;
        if (update.SizeChanged || _width != update.Width || _height != update.Height) Resize(update.Width, update.Height);
        output.Reset(update.Width, update.Height, update.SizeChanged);
        _cells.ClearTouched(); // in case a previous call threw half-way
        _tiles.ClearTouched();
        Array.Clear(_tilePngOnly);

        foreach (var copy in update.Copies.Span)
        {
            output.AddCopy(copy);
            CopyLossy(copy, now);
            ForgetCells(copy.Destination);
        }

        // Damage per hash cell; cells whose content is unchanged drop out (unless due for refinement);
        // the rest accumulate per tile.
        var bounds = framebuffer.Bounds;
        foreach (var d in update.Damage.Span) _cells.AddDamage(d.Intersect(bounds));
        _cells.SortTouched();
        for (var t = 0; t < _cells.TouchedCount; t++)
        {
            var cell = _cells.Touched[t];
            var box = _cells.Boxes[cell];
            var refine = _refine[cell];
            if (_options.SkipUnchangedTiles)
            {
                var h = TileHash.Compute(framebuffer, _cells.CellRect(cell), _options.HashSeed);
                if (_known[cell] && _hashes[cell] == h && !refine)
                {
                    output.SkippedTiles++;
                    continue;
                }
                _hashes[cell] = h;
                _known[cell] = true;
            }
            if (refine)
            {
                var whole = _cells.CellRect(cell);
                _tiles.AddDamage(whole);
                _tilePngOnly[_tiles.IndexOf(whole.X, whole.Y)] = true;
            }
            else
            {
                _tiles.AddDamage(box);
            }
        }
        _cells.ClearTouched();

        _tiles.SortTouched();
        var buffer = output.Buffer;
        for (var t = 0; t < _tiles.TouchedCount; t++)
        {
            var tile = _tiles.Touched[t];
            var box = _tiles.Boxes[tile];
            var format = EncodeTile(framebuffer, box, _tilePngOnly[tile], buffer, out var offset, out var length);
            output.AddTile(box, offset, length, format);
            output.EncodedPixels += box.Area;
            output.RefinedTiles += MarkSent(box, format, now);
        }
        _tiles.ClearTouched();
        EndRefinement();
        output.Complete();
    }

    private void Resize(int width, int height)
    {
        _width = width;
        _height = height;
        _cells.Resize(width, height);
        _tiles.Resize(width, height);
        if (_hashes.Length < _cells.Count)
        {
            _hashes = new ulong[_cells.Count];
            _known = new bool[_cells.Count];
            _lossy = new bool[_cells.Count];
            _refine = new bool[_cells.Count];
            _lastSent = new TimeSpan[_cells.Count];
        }
        else
        {
            Array.Clear(_known);
        }
        if (_tilePngOnly.Length < _tiles.Count) _tilePngOnly = new bool[_tiles.Count];
        ForgetLossy();
    }

    private void ForgetCells(Rect r)
    {
        r = r.Intersect(new Rect(0, 0, _width, _height));
        if (r.IsEmpty) return;
        var size = _cells.Size;
        for (var cy = r.Y / size; cy <= (r.Bottom - 1) / size; cy++)
        {
            for (var cx = r.X / size; cx <= (r.Right - 1) / size; cx++)
            {
                _known[(cy * _cells.Columns) + cx] = false;
            }
        }
    }

    /// <summary>A square grid over the screen accumulating, per cell, the bounding box of the damage inside it.</summary>
    private sealed class Grid(int size)
    {
        public int Size { get; } = size;
        public int Columns { get; private set; }
        public int Count { get; private set; }
        public Rect[] Boxes { get; private set; } = [];
        public int[] Touched { get; private set; } = [];
        public int TouchedCount { get; private set; }
        private int _width;
        private int _height;

        public void Resize(int width, int height)
        {
            _width = width;
            _height = height;
            Columns = (width + Size - 1) / Size;
            Count = Columns * ((height + Size - 1) / Size);
            if (Boxes.Length < Count)
            {
                Boxes = new Rect[Count];
                Touched = new int[Count];
            }
            ClearTouched();
        }

        public int IndexOf(int x, int y) => (y / Size * Columns) + (x / Size);

        public Rect CellRect(int cell)
        {
            var x = cell % Columns * Size;
            var y = cell / Columns * Size;
            return new Rect(x, y, Math.Min(Size, _width - x), Math.Min(Size, _height - y));
        }

        public void AddDamage(Rect r)
        {
            if (r.IsEmpty) return;
            for (var cy = r.Y / Size; cy <= (r.Bottom - 1) / Size; cy++)
            {
                for (var cx = r.X / Size; cx <= (r.Right - 1) / Size; cx++)
                {
                    var cell = (cy * Columns) + cx;
                    var piece = r.Intersect(new Rect(cx * Size, cy * Size, Size, Size));
                    if (Boxes[cell].IsEmpty) Touched[TouchedCount++] = cell;
                    Boxes[cell] = Boxes[cell].Union(piece);
                }
            }
        }

        public void SortTouched() => Touched.AsSpan(0, TouchedCount).Sort();

        public void ClearTouched()
        {
            for (var i = 0; i < TouchedCount; i++) Boxes[Touched[i]] = default;
            TouchedCount = 0;
        }
    }
}
