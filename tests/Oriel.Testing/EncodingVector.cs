using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using Oriel.Graphics;
using Oriel.Rfb.Encodings;

namespace Oriel.Testing;

/// <summary>A parsed .vec file (see vectors/README.md).</summary>
public sealed class EncodingVector
{
    public required string Name { get; init; }
    public string Format { get; private set; } = "rgb888";
    public int Encoding { get; private set; }
    public int FbWidth { get; private set; } = 80;
    public int FbHeight { get; private set; } = 20;
    public uint Fill { get; private set; } = 0x111111;
    public List<(Rect Area, uint Colour)> Prefills { get; } = [];
    public Rect Rect { get; private set; }
    public List<uint> Expected { get; } = [];
    public (int X, int Y)? Copied { get; private set; }
    public string? Error { get; private set; }
    private readonly List<(string Kind, int Stream, byte[] Data)> _parts = [];

    /// <summary>Where the test project's build output keeps the .vec files.</summary>
    public static string Directory => HexVectors.OutputDirectory;

    /// <summary>The .vec file names in <paramref name="directory"/> (default <see cref="Directory"/>), in ordinal order.</summary>
    public static IEnumerable<string> Names(string? directory = null) =>
        System.IO.Directory.GetFiles(directory ?? Directory, "*.vec").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    /// <summary>Parses <paramref name="name"/> from <paramref name="directory"/> (default <see cref="Directory"/>).</summary>
    public static EncodingVector Load(string name, string? directory = null)
    {
        var v = new EncodingVector { Name = name };
        foreach (var raw in File.ReadAllLines(Path.Combine(directory ?? Directory, name)))
        {
            var line = raw.Split('#')[0].Trim();
            if (line.Length == 0) continue;
            var t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (t[0])
            {
                case "format": v.Format = t[1]; break;
                case "encoding": v.Encoding = int.Parse(t[1], CultureInfo.InvariantCulture); break;
                case "framebuffer": v.FbWidth = Int(t[1]); v.FbHeight = Int(t[2]); break;
                case "fill": v.Fill = Colour(t[1]); break;
                case "prefill": v.Prefills.Add((new Rect(Int(t[1]), Int(t[2]), Int(t[3]), Int(t[4])), Colour(t[5]))); break;
                case "rect": v.Rect = new Rect(Int(t[1]), Int(t[2]), Int(t[3]), Int(t[4])); break;
                case "bytes": v._parts.Add(("bytes", 0, Hex(t[1..]))); break;
                case "zlib-u32": v._parts.Add(("u32", 0, Hex(t[1..]))); break;
                case "zlib-compact": v._parts.Add(("compact", Int(t[1]), Hex(t[2..]))); break;
                case "copied": v.Copied = (Int(t[1]), Int(t[2])); break;
                case "error": v.Error = string.Join(' ', t[1..]); break;
                case "expect":
                    foreach (var tok in t[1..])
                    {
                        var star = tok.Split('*');
                        var n = star.Length > 1 ? Int(star[1]) : 1;
                        for (var i = 0; i < n; i++) v.Expected.Add(Colour(star[0]));
                    }
                    break;
                default: throw new InvalidOperationException($"{name}: unknown directive {t[0]}");
            }
        }
        return v;
    }

    /// <summary>The payload bytes; compressed parts use fresh compressors, one per stream id.</summary>
    public byte[] Payload()
    {
        var compressors = new Dictionary<int, Compressor>();
        var output = new List<byte>();
        foreach (var (kind, stream, data) in _parts)
        {
            if (kind == "bytes")
            {
                output.AddRange(data);
                continue;
            }
            if (!compressors.TryGetValue(stream, out var c))
            {
                c = new Compressor();
                compressors[stream] = c;
            }
            var block = c.Compress(data);
            output.AddRange(kind == "u32" ? U32(block.Length) : CompactLength(block.Length));
            output.AddRange(block);
        }
        return [.. output];
    }

    public Framebuffer NewFramebuffer()
    {
        var fb = new Framebuffer(FbWidth, FbHeight);
        fb.Fill(fb.Bounds, Fill);
        foreach (var (area, colour) in Prefills) fb.Fill(area, colour);
        return fb;
    }

    public static byte[] U32(int n)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, n);
        return b;
    }

    public static byte[] CompactLength(int n) =>
        n < 128 ? [(byte)n]
        : n < 16384 ? [(byte)(n & 0x7F | 0x80), (byte)(n >> 7)]
        : [(byte)(n & 0x7F | 0x80), (byte)((n >> 7) & 0x7F | 0x80), (byte)(n >> 14)];

    public static byte[] Hex(IEnumerable<string> tokens) => Convert.FromHexString(string.Concat(tokens));

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    private static uint Colour(string s) => uint.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public override string ToString() => Name;
}
