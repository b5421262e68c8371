using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Oriel.Recording.Tests;

public class AsciicastWriterTests
{
    private static readonly AsciicastHeader s_header = new() { Width = 80, Height = 24 };

    private static (AsciicastWriter Writer, ArrayBufferWriter<byte> Output) Create(AsciicastWriterOptions? options = null)
    {
        var output = new ArrayBufferWriter<byte>();
        return (new AsciicastWriter(output, s_header, options), output);
    }

    private static string[] Lines(ArrayBufferWriter<byte> output)
        => Encoding.UTF8.GetString(output.WrittenSpan).Split('\n')[..^1];

    [Fact]
    public void MinimalHeaderHasOnlyTheRequiredFields()
    {
        var (_, output) = Create();
        Assert.Equal("""{"version": 2, "width": 80, "height": 24}""" + "\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void HeaderWithOnlyShellWritesEnvWithoutTerm()
    {
        var output = new ArrayBufferWriter<byte>();
        _ = new AsciicastWriter(output, new AsciicastHeader { Width = 1, Height = 65535, Shell = "/bin/sh" });
        Assert.Equal("""{"version": 2, "width": 1, "height": 65535, "env": {"SHELL": "/bin/sh"}}""" + "\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void EveryControlCharacterIsEscaped()
    {
        string[] shortForms = ["", "", "", "", "", "", "", "", @"\b", @"\t", @"\n", "", @"\f", @"\r"];
        for (var c = 0; c < 0x20; c++)
        {
            var (w, output) = Create();
            w.WriteOutput(0, [(byte)c]);
            var expected = c < shortForms.Length && shortForms[c] != "" ? shortForms[c] : $"\\u{c:x4}";
            Assert.Equal($"[0.000000, \"o\", \"{expected}\"]", Lines(output)[1]);
            // And the line is JSON that means that very character.
            using var doc = JsonDocument.Parse(Lines(output)[1]);
            Assert.Equal(((char)c).ToString(), doc.RootElement[2].GetString());
        }
    }

    [Fact]
    public void QuoteAndBackslashAreEscapedButDelAndNonAsciiAreNot()
    {
        var (w, output) = Create();
        w.WriteMarker(0, "\"\\\u007f\u00e9\u2028/");
        Assert.Equal("[0.000000, \"m\", \"\\\"\\\\\u007f\u00e9\u2028/\"]", Lines(output)[1]);
    }

    [Fact]
    public void LoneSurrogateInAMarkerBecomesReplacementCharacter()
    {
        var (w, output) = Create();
        w.WriteMarker(0, "a\ud800b");
        Assert.Equal("[0.000000, \"m\", \"a\uFFFDb\"]", Lines(output)[1]);
    }

    [Theory]
    [InlineData(0, "0.000000")]
    [InlineData(1, "0.000001")]
    [InlineData(999_999, "0.999999")]
    [InlineData(1_000_000, "1.000000")]
    [InlineData(86_400_123_456, "86400.123456")]
    [InlineData(AsciicastEvent.MaxTimeMicroseconds, "1000000000.000000")]
    public void TimesAreSecondsWithSixDecimals(long microseconds, string expected)
    {
        var (w, output) = Create();
        w.WriteResize(microseconds, 132, 43);
        Assert.Equal($"[{expected}, \"r\", \"132x43\"]", Lines(output)[1]);
    }

    [Fact]
    public void TimeMustNotGoBack()
    {
        var (w, _) = Create();
        w.WriteOutput(10, "a"u8);
        w.WriteOutput(10, "b"u8);
        Assert.Throws<ArgumentOutOfRangeException>(() => w.WriteOutput(9, "c"u8));
        Assert.Throws<ArgumentOutOfRangeException>(() => w.WriteResize(9, 80, 24));
        Assert.Throws<ArgumentOutOfRangeException>(() => w.WriteInput(9, "c"u8));
        Assert.Equal(10, w.TimeMicroseconds);
    }

    [Fact]
    public void WritesAfterFinishThrow()
    {
        var (w, _) = Create();
        Assert.Equal(0, w.Finish(5));
        Assert.True(w.IsFinished);
        Assert.Throws<InvalidOperationException>(() => w.WriteOutput(5, "a"u8));
        Assert.Throws<InvalidOperationException>(() => w.WriteMarker(5, ""));
    }

    [Fact]
    public void InputIsDroppedUnlessAskedFor()
    {
        var (w, output) = Create();
        var before = output.WrittenCount;
        Assert.Equal(0, w.WriteInput(1, "secret\r"u8));
        Assert.Equal(before, output.WrittenCount);
        Assert.Equal(0, w.EventCount);

        var (w2, output2) = Create(new AsciicastWriterOptions { RecordInput = true });
        Assert.True(w2.WriteInput(1, "ls\r"u8) > 0);
        Assert.Equal("[0.000001, \"i\", \"ls\\r\"]", Lines(output2)[1]);
    }

    [Fact]
    public void OutputAndInputCarryTheirOwnUnfinishedCharacters()
    {
        var (w, output) = Create(new AsciicastWriterOptions { RecordInput = true });
        var euro = Encoding.UTF8.GetBytes("€");
        var ae = Encoding.UTF8.GetBytes("ä");
        Assert.Equal(0, w.WriteOutput(1, euro.AsSpan(0, 2)));
        Assert.Equal(0, w.WriteInput(2, ae.AsSpan(0, 1)));
        w.WriteOutput(3, [euro[2], (byte)'x']);
        w.WriteInput(4, [ae[1]]);
        Assert.Equal(["[0.000003, \"o\", \"€x\"]", "[0.000004, \"i\", \"ä\"]"], Lines(output)[1..]);
    }

    [Fact]
    public void EverySplitOfMultiByteTextDecodesWhole()
    {
        var text = "aé€😀\U0010FFFFz";
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var i = 0; i <= bytes.Length; i++)
        {
            for (var j = i; j <= bytes.Length; j++)
            {
                var (w, output) = Create();
                w.WriteOutput(1, bytes.AsSpan(0, i));
                w.WriteOutput(2, bytes.AsSpan(i, j - i));
                w.WriteOutput(3, bytes.AsSpan(j));
                Assert.Equal(0, w.Finish(4));
                var events = AsciicastReader.ReadAll(output.WrittenSpan).Events;
                Assert.Equal(text, string.Concat(events.Select(e => e.Data)));
            }
        }
    }

    [Fact]
    public void ByteByByteOutputDecodesWhole()
    {
        var text = "ok é€😀 done";
        var (w, output) = Create();
        foreach (var b in Encoding.UTF8.GetBytes(text)) w.WriteOutput(1, [b]);
        var events = AsciicastReader.ReadAll(output.WrittenSpan).Events;
        Assert.Equal(text, string.Concat(events.Select(e => e.Data)));
        Assert.Equal(text.EnumerateRunes().Count(), events.Count); // one event per character, none for a lead byte alone
    }

    [Theory]
    [InlineData(new byte[] { 0xFF }, "\uFFFD")]
    [InlineData(new byte[] { 0xC0, 0x80 }, "\uFFFD\uFFFD")] // overlong: C0 is never valid
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "\uFFFD\uFFFD\uFFFD")] // a UTF-16 surrogate encoded: ED A0 is not a valid prefix
    [InlineData(new byte[] { 0xE2, 0x82, 0x41 }, "\uFFFDA")] // a cut character followed by ASCII: one U+FFFD
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, "\uFFFD\uFFFD\uFFFD\uFFFD")] // above U+10FFFF
    [InlineData(new byte[] { 0x80, 0x80 }, "\uFFFD\uFFFD")] // stray continuation bytes
    public void InvalidBytesBecomeReplacementCharacters(byte[] data, string expected)
    {
        // The same result whether the bytes come in one chunk or one by one, and it is .NET's own decoder's answer.
        Assert.Equal(expected, Encoding.UTF8.GetString(data));
        var (w, output) = Create();
        w.WriteOutput(0, data);
        w.Finish(0);
        Assert.Equal(expected, string.Concat(AsciicastReader.ReadAll(output.WrittenSpan).Events.Select(e => e.Data)));

        var (w2, output2) = Create();
        foreach (var b in data) w2.WriteOutput(0, [b]);
        w2.Finish(0);
        Assert.Equal(expected, string.Concat(AsciicastReader.ReadAll(output2.WrittenSpan).Events.Select(e => e.Data)));
    }

    [Fact]
    public void FinishWritesWhatIsHeldBackForBothDirections()
    {
        var (w, output) = Create(new AsciicastWriterOptions { RecordInput = true });
        w.WriteOutput(1, [(byte)'a', 0xF0, 0x9F]);
        w.WriteInput(2, [0xC3]);
        Assert.True(w.Finish(7) > 0);
        Assert.Equal(["[0.000001, \"o\", \"a\"]", "[0.000007, \"o\", \"\uFFFD\"]", "[0.000007, \"i\", \"\uFFFD\"]"], Lines(output)[1..]);
    }

    [Fact]
    public void LongOutputIsSplitIntoEventsOfBoundedSize()
    {
        var text = string.Concat(Enumerable.Repeat("é\u0001€", 5000));
        var bytes = Encoding.UTF8.GetBytes(text);
        var (w, output) = Create(new AsciicastWriterOptions { MaxEventDataBytes = 1000 });
        w.WriteOutput(42, bytes);
        var lines = Lines(output)[1..];
        Assert.Equal((bytes.Length + 999) / 1000, lines.Length);
        Assert.All(lines, l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 48 + 6 * 1003));
        var events = AsciicastReader.ReadAll(output.WrittenSpan).Events;
        Assert.All(events, e => Assert.Equal(42, e.TimeMicroseconds));
        Assert.Equal(text, string.Concat(events.Select(e => e.Data)));
    }

    [Fact]
    public void WorstCaseLineWithDefaultsFitsTheReadersDefaultCap()
    {
        var options = new AsciicastWriterOptions();
        var (w, output) = Create(options);
        var controls = new byte[options.MaxEventDataBytes];
        w.WriteOutput(AsciicastEvent.MaxTimeMicroseconds, controls); // every byte becomes \u0000, the longest escape
        var line = Lines(output)[1];
        Assert.True(line.Length < AsciicastReader.DefaultMaxLineLength);
        Assert.Equal(new string('\0', controls.Length), AsciicastReader.ReadAll(output.WrittenSpan).Events.Single().Data);
    }

    [Fact]
    public void RefusesBadArguments()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentOutOfRangeException>(() => new AsciicastWriter(output, s_header with { Width = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AsciicastWriter(output, s_header with { Height = 65536 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AsciicastWriter(output, s_header with { Timestamp = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AsciicastWriter(output, s_header with { Title = new string('t', AsciicastHeader.MaxTextLength + 1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AsciicastWriter(output, s_header, new AsciicastWriterOptions { MaxEventDataBytes = 3 }));
        Assert.Equal(0, output.WrittenCount);
        var (w, _) = Create();
        Assert.Throws<ArgumentOutOfRangeException>(() => w.WriteResize(0, 0, 24));
        Assert.Throws<ArgumentOutOfRangeException>(() => w.WriteOutput(AsciicastEvent.MaxTimeMicroseconds + 1, "a"u8));
        Assert.Throws<ArgumentOutOfRangeException>(() => w.WriteResize(0, 80, 65536));
        Assert.Throws<ArgumentOutOfRangeException>(() => w.WriteMarker(0, new string('m', AsciicastHeader.MaxTextLength + 1)));
    }
}
