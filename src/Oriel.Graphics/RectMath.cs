namespace Oriel.Graphics;

/// <summary>Rectangle set arithmetic shared by the region and the tracker.</summary>
internal static class RectMath
{
    /// <summary>
    /// Writes the parts of <paramref name="a"/> outside <paramref name="b"/> (at most four disjoint
    /// rectangles: full-width bands above and below, then left and right) and returns their count.
    /// </summary>
    public static int Subtract(Rect a, Rect b, Span<Rect> pieces)
    {
        if (a.IsEmpty) return 0;
        var x = a.Intersect(b);
        if (x.IsEmpty)
        {
            pieces[0] = a;
            return 1;
        }
        var n = 0;
        if (x.Y > a.Y) pieces[n++] = Rect.FromEdges(a.X, a.Y, a.Right, x.Y);
        if (x.Bottom < a.Bottom) pieces[n++] = Rect.FromEdges(a.X, x.Bottom, a.Right, a.Bottom);
        if (x.X > a.X) pieces[n++] = Rect.FromEdges(a.X, x.Y, x.X, x.Bottom);
        if (x.Right < a.Right) pieces[n++] = Rect.FromEdges(x.Right, x.Y, a.Right, x.Bottom);
        return n;
    }
}
