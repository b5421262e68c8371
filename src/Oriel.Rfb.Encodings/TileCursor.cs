using Oriel.Graphics;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// Walks a rectangle in square tiles, left to right then top to bottom, the last column and row
/// narrower where the rectangle does not divide evenly (Hextile, TRLE: [RFC 6143] 7.7.4, 7.7.5).
/// A mutable struct: keep it in a field and advance it in place, tile by whole tile.
/// </summary>
internal struct TileCursor
{
    private Rect _rect;
    private int _side;
    private int _tx;
    private int _ty;

    public TileCursor(Rect rect, int side)
    {
        _rect = rect;
        _side = side;
        _tx = 0;
        _ty = rect.IsEmpty ? rect.Height : 0;
    }

    /// <summary>True when every tile has been consumed.</summary>
    public readonly bool IsDone => _ty >= _rect.Height;

    /// <summary>The tile to decode next (valid while not <see cref="IsDone"/>).</summary>
    public readonly Rect Current => new(_rect.X + _tx, _rect.Y + _ty, Math.Min(_side, _rect.Width - _tx), Math.Min(_side, _rect.Height - _ty));

    public void Advance()
    {
        _tx += _side;
        if (_tx >= _rect.Width)
        {
            _tx = 0;
            _ty += _side;
        }
    }

    /// <summary>Abandons the rest of the rectangle (the connection was reset).</summary>
    public void Finish() => _ty = _rect.Height;
}
