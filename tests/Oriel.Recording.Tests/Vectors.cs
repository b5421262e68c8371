namespace Oriel.Recording.Tests;

/// <summary>Loads vectors/*.hex: lines starting with '#' are notes (the first says where the bytes come from); the rest is hex with any spacing.</summary>
internal static class Vectors
{
    public static byte[] Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "vectors", name + ".hex");
        var lines = File.ReadAllLines(path);
        Assert.StartsWith("#", lines[0]);
        var hex = string.Concat(lines.Where(l => !l.StartsWith('#')).SelectMany(l => l.Where(Uri.IsHexDigit)));
        return Convert.FromHexString(hex);
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(Uri.IsHexDigit)));
}
