using System.Buffers;
using System.Text;
using Oriel.Wire;

namespace Oriel.Recording.Tests;

public class AsciicastReaderTests
{
    private const string Header = """{"version": 2, "width": 80, "height": 24}""";

    private static AsciicastReadResult Read(string text) => AsciicastReader.ReadAll(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void TruncatedAtEveryOffsetReadsUpToTheLastCompleteLine()
    {
        var file = AsciicastVectorTests.LoadSmall();
        var full = AsciicastReader.ReadAll(file);
        // Where each line's content ends (its newline's offset), found independently of the reader.
        var ends = new List<int>();
        for (var i = 0; i < file.Length; i++)
        {
            if (file[i] == '\n') ends.Add(i);
        }
        for (var k = 0; k <= file.Length; k++)
        {
            var result = AsciicastReader.ReadAll(file.AsSpan(0, k));
            // A line counts when its content is all there: with its newline, or cut exactly after its closing bracket.
            var whole = ends.Count(e => e <= k);
            var lastStart = ends.Where(e => e < k).Select(e => e + 1).DefaultIfEmpty(0).Max();
            var cutInside = k > lastStart && !ends.Contains(k);
            Assert.Equal(whole > 0 ? full.Header : null, result.Header);
            Assert.Equal(full.Events.Take(Math.Max(0, whole - 1)), result.Events);
            Assert.Equal(cutInside ? lastStart : null, result.TruncatedAt);
            Assert.Equal(cutInside ? lastStart : k, result.ValidLength);
        }
    }

    [Fact]
    public void ToleratesCrLfBlankLinesUnknownFieldsAndCodes()
    {
        var result = Read(
            """{"version": 2, "width": 100, "height": 50, "idle_time_limit": 2.5, "command": "bash", "theme": {"fg": "#fff", "palette": "a:b"}, "env": {"LANG": "C", "TERM": null, "SHELL": "/bin/zsh"}, "timestamp": 1504467315.9}""" + "\r\n" +
            "\n" +
            """[0.1, "o", "hi"]""" + "\r\n" +
            """[0.2, "x", "a code from a later version"]""" + "\n" +
            """  [1e0, "m", ""]  """ + "\n" +
            """[1.0000004, "r", "3x2"]""");
        Assert.Equal(new AsciicastHeader { Width = 100, Height = 50, Timestamp = 1504467315, Shell = "/bin/zsh" }, result.Header);
        AsciicastEvent[] expected =
        [
            new(100_000, AsciicastEventCode.Output, "hi"),
            new(1_000_000, AsciicastEventCode.Marker, ""),
            new(1_000_000, AsciicastEventCode.Resize, "3x2"),
        ];
        Assert.Equal(expected, result.Events);
        Assert.Equal(1, result.SkippedEvents);
        Assert.Null(result.TruncatedAt);
    }

    [Fact]
    public void TrailingBlanksAreNotATruncation()
    {
        var text = Header + "\n[0.1, \"o\", \"x\"]\n  \t";
        var result = Read(text);
        Assert.Null(result.TruncatedAt);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), result.ValidLength);
        Assert.Single(result.Events);
    }

    [Fact]
    public void CharacterCutInTwoAtTheEndIsATruncation()
    {
        byte[] file = [.. Encoding.UTF8.GetBytes(Header + "\n[0.1, \"o\", \"x\"]\n[0.2, \"o\", \""), 0xE2, 0x82];
        var result = AsciicastReader.ReadAll(file);
        Assert.Single(result.Events);
        Assert.Equal(Header.Length + 1 + 16, result.TruncatedAt);
    }

    [Fact]
    public void EmptyInputHasNoHeader()
    {
        var result = AsciicastReader.ReadAll([]);
        Assert.Null(result.Header);
        Assert.Empty(result.Events);
        Assert.Null(result.TruncatedAt);
        Assert.Equal(0, result.ValidLength);
    }

    [Theory]
    [InlineData("""[0.1, "o" "x"]""", "not JSON")]
    [InlineData("""{"a": 1}""", "an event is not an array")]
    [InlineData("""[-0.1, "o", "x"]""", "out of range")]
    [InlineData("""[1000000000.000001, "o", "x"]""", "out of range")]
    [InlineData("""["0.1", "o", "x"]""", "time is not a number")]
    [InlineData("""[0.1, 111, "x"]""", "code is not a string")]
    [InlineData("""[0.1, "o", 5]""", "data is not a string")]
    [InlineData("""[0.1, "o"]""", "data is not a string")]
    [InlineData("""[0.1, "o", "x", "y"]""", "more than three elements")]
    [InlineData("""[0.1, "r", "80by24"]""", "COLSxROWS")]
    [InlineData("""[0.1, "r", "0x24"]""", "COLSxROWS")]
    [InlineData("""[0.1, "r", "80x65536"]""", "COLSxROWS")]
    [InlineData("""[0.1, "o", "\ud800"]""", "not valid Unicode")]
    [InlineData("""[0.1, "o", "x"] [0.2, "o", "y"]""", "not JSON")]
    [InlineData("""[0.1, "o", "x"]]""", "not JSON")]
    [InlineData("""[0.1, "o", "x"] 1""", "not JSON")]
    public void MalformedEventThrowsWithItsLine(string line, string why)
    {
        var text = Header + "\n" + line + "\n";
        var e = Assert.Throws<DecodeException>(() => Read(text));
        Assert.Equal(Header.Length + 1, e.Offset);
        Assert.StartsWith("line 2: ", e.Why);
        Assert.Contains(why, e.Why);
    }

    [Theory]
    [InlineData("""{"version": 1, "width": 80, "height": 24}""", "version 1 is not supported")]
    [InlineData("""{"version": 3, "term": {"cols": 80, "rows": 24}}""", "version 3 is not supported")]
    [InlineData("""{"width": 80, "height": 24}""", "no version")]
    [InlineData("""{"version": 2, "width": 0, "height": 24}""", "width and height")]
    [InlineData("""{"version": 2, "width": 80}""", "width and height")]
    [InlineData("""{"version": 2, "width": 80.5, "height": 24}""", "width is not an integer")]
    [InlineData("""{"version": 2, "width": 80, "height": 24, "env": []}""", "env is not an object")]
    [InlineData("""{"version": 2, "width": 80, "height": 24, "title": 7}""", "title is not a string")]
    [InlineData("""{"version": 2, "width": 80, "height": 24, "timestamp": -5}""", "timestamp")]
    [InlineData("""[0.1, "o", "x"]""", "not an object")]
    public void MalformedHeaderThrowsWithLineOne(string line, string why)
    {
        var e = Assert.Throws<DecodeException>(() => Read(line + "\n"));
        Assert.Equal(0, e.Offset);
        Assert.StartsWith("line 1: ", e.Why);
        Assert.Contains(why, e.Why);
    }

    [Fact]
    public void InvalidUtf8LineThrows()
    {
        byte[] file = [.. Encoding.UTF8.GetBytes(Header + "\n[0.1, \"o\", \""), 0xFF, .. "\"]\n"u8];
        var e = Assert.Throws<DecodeException>(() => AsciicastReader.ReadAll(file));
        Assert.Contains("line 2: the line is not UTF-8", e.Why);
    }

    [Fact]
    public void TimeGoingBackThrows()
    {
        var e = Assert.Throws<DecodeException>(() => Read(Header + "\n[0.5, \"o\", \"a\"]\n[0.4, \"o\", \"b\"]\n"));
        Assert.Contains("line 3: the time goes back", e.Why);
    }

    [Fact]
    public void LineCapIsCheckedBeforeDecoding()
    {
        var line = "[0.1, \"o\", \"" + new string('x', 60) + "\"]"; // longer than the header
        var file = Encoding.UTF8.GetBytes(Header + "\n" + line + "\n");
        Assert.Single(AsciicastReader.ReadAll(file, maxLineLength: Math.Max(Header.Length, line.Length)).Events);
        var e = Assert.Throws<DecodeException>(() => AsciicastReader.ReadAll(file, maxLineLength: line.Length - 1));
        Assert.Contains("line 2: longer than the cap", e.Why);
        // An unterminated last line is held to the same cap, and so is garbage that is not JSON at all.
        var garbage = Encoding.UTF8.GetBytes(Header + "\n" + new string('x', 100));
        Assert.Throws<DecodeException>(() => AsciicastReader.ReadAll(garbage, maxLineLength: 99));
        Assert.Equal(Header.Length + 1, AsciicastReader.ReadAll(garbage, maxLineLength: 100).TruncatedAt);
    }

    [Fact]
    public void TotalCapIsCheckedFirst()
    {
        var file = AsciicastVectorTests.LoadSmall();
        Assert.NotNull(AsciicastReader.ReadAll(file, maxTotalLength: file.Length).Header);
        var e = Assert.Throws<DecodeException>(() => AsciicastReader.ReadAll(file, maxTotalLength: file.Length - 1));
        Assert.Contains("exceeds the cap", e.Why);
    }

    [Fact]
    public void RoundTripOfRandomSessions()
    {
        var random = new Random(8);
        for (var round = 0; round < 200; round++)
        {
            var output = new ArrayBufferWriter<byte>();
            var header = new AsciicastHeader { Width = random.Next(1, 500), Height = random.Next(1, 200), Timestamp = random.NextInt64(0, 1L << 40), Title = round % 3 == 0 ? "t\u0007\"itle" : null, Term = "xterm-256color" };
            var w = new AsciicastWriter(output, header, new AsciicastWriterOptions { RecordInput = true, MaxEventDataBytes = random.Next(4, 64) });
            var sentOutput = new List<byte>();
            var sentInput = new List<byte>();
            var others = new List<AsciicastEvent>();
            var time = 0L;
            for (var step = 0; step < 40; step++)
            {
                time += random.Next(0, 3) * random.NextInt64(0, 2_000_000);
                var chunk = RandomText(random);
                switch (random.Next(5))
                {
                    case 0 or 1: w.WriteOutput(time, chunk); sentOutput.AddRange(chunk); break;
                    case 2: w.WriteInput(time, chunk); sentInput.AddRange(chunk); break;
                    case 3:
                        var (c, r) = (random.Next(1, 65536), random.Next(1, 65536));
                        w.WriteResize(time, c, r);
                        others.Add(new AsciicastEvent(time, AsciicastEventCode.Resize, $"{c}x{r}"));
                        break;
                    default:
                        var label = Encoding.UTF8.GetString(chunk);
                        w.WriteMarker(time, label);
                        others.Add(new AsciicastEvent(time, AsciicastEventCode.Marker, label));
                        break;
                }
            }
            w.Finish(time);
            var result = AsciicastReader.ReadAll(output.WrittenSpan);
            Assert.Equal(header, result.Header);
            Assert.Equal(output.WrittenCount, result.ValidLength);
            Assert.Equal(w.EventCount, result.Events.Count);
            // Each direction reads back as .NET's own UTF-8 decoder reads the bytes sent, in one piece.
            Assert.Equal(Encoding.UTF8.GetString([.. sentOutput]), string.Concat(result.Events.Where(e => e.Code == AsciicastEventCode.Output).Select(e => e.Data)));
            Assert.Equal(Encoding.UTF8.GetString([.. sentInput]), string.Concat(result.Events.Where(e => e.Code == AsciicastEventCode.Input).Select(e => e.Data)));
            Assert.Equal(others, result.Events.Where(e => e.Code is AsciicastEventCode.Resize or AsciicastEventCode.Marker));
            Assert.True(result.Events.Zip(result.Events.Skip(1)).All(p => p.First.TimeMicroseconds <= p.Second.TimeMicroseconds));
        }
    }

    /// <summary>Mostly UTF-8 text of all widths and control characters, now and then a stray or cut byte.</summary>
    private static byte[] RandomText(Random random)
    {
        string[] pieces = ["a", " ", "\u001b[31m", "\r\n", "\0", "\"", "\\", "é", "€", "😀", "\u2028", "\u007f", "\t"];
        var bytes = new List<byte>();
        var n = random.Next(0, 12);
        for (var i = 0; i < n; i++)
        {
            if (random.Next(20) == 0) bytes.Add((byte)random.Next(0x80, 0x100));
            else bytes.AddRange(Encoding.UTF8.GetBytes(pieces[random.Next(pieces.Length)]));
        }
        // Cut the chunk anywhere, so characters straddle chunks.
        return [.. bytes.Take(random.Next(0, bytes.Count + 1))];
    }
}
