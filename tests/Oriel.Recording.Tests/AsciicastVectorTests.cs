using System.Buffers;
using System.Text;

namespace Oriel.Recording.Tests;

/// <summary>
/// vectors/small.cast: written by vectors/make_small_cast.py with Python's json module and UTF-8 decoder,
/// independently of the C# code. The writer must reproduce it byte for byte from the same events, fed in
/// awkward chunks; the reader must read back the fields.
/// </summary>
public class AsciicastVectorTests
{
    internal static byte[] LoadSmall() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "vectors", "small.cast"));

    internal static readonly AsciicastHeader s_header = new()
    {
        Width = 80,
        Height = 24,
        Timestamp = 1_700_000_000,
        Title = "demo \"one\"",
        Term = "xterm-256color",
        Shell = "/bin/bash",
    };

    [Fact]
    public void WriterReproducesTheVectorByteForByte()
    {
        var expected = LoadSmall();
        foreach (var output in new IBufferWriter<byte>[] { new ArrayBufferWriter<byte>(), new DirtyBufferWriter() })
        {
            var w = new AsciicastWriter(output, s_header, new AsciicastWriterOptions { RecordInput = true });
            w.WriteOutput(0, "$ "u8);
            w.WriteInput(500_000, "ls\r"u8);
            w.WriteOutput(512_345, "ls\r\n\u001b[1;32mfile\u001b[0m\r\n"u8);
            var text = Encoding.UTF8.GetBytes("é€😀");
            Assert.Equal(0, w.WriteOutput(1_000_000, text.AsSpan(0, 1))); // a lead byte alone: no event yet
            w.WriteOutput(1_000_000, text.AsSpan(1));
            w.WriteResize(1_250_000, 100, 30);
            w.WriteMarker(1_500_000, "chapter 1");
            w.WriteOutput(2_000_000, [(byte)'a', 0xFF, (byte)'b', 0xC3, (byte)'(']);
            w.WriteOutput(2_000_001, "\t\u007f\"\\\0\b\f\u0001\u001f"u8);
            Assert.Equal(0, w.WriteOutput(3_000_000, [0xE2, 0x82]));
            w.Finish(3_000_000);
            var actual = output is ArrayBufferWriter<byte> a ? a.WrittenSpan.ToArray() : ((DirtyBufferWriter)output).ToArray();
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
            Assert.Equal(expected, actual);
            Assert.Equal(expected.Length, w.Position);
            Assert.Equal(9, w.EventCount);
        }
    }

    [Fact]
    public void ReaderDecodesTheVectorToFields()
    {
        var file = LoadSmall();
        var result = AsciicastReader.ReadAll(file);
        Assert.Equal(s_header, result.Header);
        Assert.Null(result.TruncatedAt);
        Assert.Equal(file.Length, result.ValidLength);
        Assert.Equal(0, result.SkippedEvents);
        AsciicastEvent[] expected =
        [
            new(0, AsciicastEventCode.Output, "$ "),
            new(500_000, AsciicastEventCode.Input, "ls\r"),
            new(512_345, AsciicastEventCode.Output, "ls\r\n\u001b[1;32mfile\u001b[0m\r\n"),
            new(1_000_000, AsciicastEventCode.Output, "é€😀"),
            new(1_250_000, AsciicastEventCode.Resize, "100x30"),
            new(1_500_000, AsciicastEventCode.Marker, "chapter 1"),
            new(2_000_000, AsciicastEventCode.Output, "a\uFFFDb\uFFFD("),
            new(2_000_001, AsciicastEventCode.Output, "\t\u007f\"\\\0\b\f\u0001\u001f"),
            new(3_000_000, AsciicastEventCode.Output, "\uFFFD"),
        ];
        Assert.Equal(expected, result.Events);
        Assert.True(result.Events[4].TryGetSize(out var columns, out var rows));
        Assert.Equal((100, 30), (columns, rows));
    }
}
