namespace Oriel.Graphics;

/// <summary>A decoded PNG: <see cref="Width"/> x <see cref="Height"/> pixels 0x00RRGGBB, row-major, stride = width.</summary>
public sealed record PngImage(int Width, int Height, uint[] Pixels);
