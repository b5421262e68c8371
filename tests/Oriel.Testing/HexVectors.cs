namespace Oriel.Testing;

/// <summary>
/// Loads the .hex byte vectors: lines starting with '#' are notes (the first line must be one, saying where
/// the bytes come from); the rest is hex digits with any spacing.
/// </summary>
public static class HexVectors
{
    /// <summary>Where a test project's build output keeps its vectors (each project copies its own vectors/ there).</summary>
    public static string OutputDirectory => Path.Combine(AppContext.BaseDirectory, "vectors");

    /// <summary>vectors/<paramref name="name"/>.hex from the test's output directory.</summary>
    public static byte[] Load(string name) => LoadFile(Path.Combine(OutputDirectory, name + ".hex"));

    /// <summary>One .hex file.</summary>
    public static byte[] LoadFile(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || !lines[0].StartsWith('#'))
        {
            throw new InvalidDataException($"{path}: the first line must be a '#' note saying where the bytes come from");
        }
        return Hex(string.Concat(lines.Where(l => !l.StartsWith('#'))));
    }

    /// <summary>Hex digits with any spacing or separators in between.</summary>
    public static byte[] Hex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return Convert.FromHexString(string.Concat(hex.Where(Uri.IsHexDigit)));
    }
}
