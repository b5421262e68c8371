using System.Buffers;
using System.Text;
using Oriel.Rfb.Passthrough;
using Oriel.Wire;

namespace Oriel.Rfb.Tests.Filter;

/// <summary>
/// The client-stream filter of the passthrough relay: byte vectors in, byte vectors out. The SetEncodings
/// vectors are the list noVNC 1.7.0 sends (core/rfb.js _sendEncodings, quality 6, compression 2, true colour,
/// local cursor), written out by hand from rfbproto's encoding numbers.
/// </summary>
public class RfbClientStreamFilterTests
{
    private const string NoVncSetEncodings =
        "02000018 00000001 00000007 fffffefc 00000010 00000015 00000005 00000002 00000006 00000000 ffffffe6 ffffff02 " +
        "ffffff21 ffffff20 fffffefe fffffefb fffffecc fffffecb fffffec8 fffffec7 fffffecd c0a1e5ce fffffec4 574d5664 ffffff11";

    // Without TightPNG (-260), JPEG (21), Zlib (6) and ExtendedMouseButtons (-316); quality level 6 (-26) stays,
    // as Tight's JpegCompression is decodable when libjpeg-turbo is installed (it is on every test machine).
    private const string FilteredSetEncodings =
        "02000014 00000001 00000007 00000010 00000005 00000002 00000000 ffffffe6 ffffff02 ffffff21 ffffff20 fffffefe fffffefb " +
        "fffffecc fffffecb fffffec8 fffffec7 fffffecd c0a1e5ce 574d5664 ffffff11";

    private static readonly byte[] Version38 = Encoding.ASCII.GetBytes("RFB 003.008\n");

    /// <summary>Client messages that must pass byte-identical: SetPixelFormat, FramebufferUpdateRequest, KeyEvent, PointerEvent,
    /// ClientCutText, EnableContinuousUpdates, ClientFence, xvp, SetDesktopSize, QEMU extended key event.</summary>
    private const string OtherMessages =
        "00 000000 20 18 00 01 00ff 00ff 00ff 10 08 00 000000 " +
        "03 01 0000 0000 0320 0258 " +
        "04 01 0000 00000061 " +
        "05 01 0010 0020 " +
        "06 000000 00000003 616263 " +
        "06 000000 fffffff8 02000001 00000000 " +
        "96 01 0000 0000 0320 0258 " +
        "f8 000000 80000003 02 abcd " +
        "fa 00 01 02 " +
        "fb 00 0320 0258 01 00 00000001 0000 0000 0320 0258 00000000 " +
        "ff 00 0001 0000ff0d 0000001c";

    private static byte[] Run(RfbClientStreamFilter filter, byte[] input, int chunk = int.MaxValue)
    {
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < input.Length; i += chunk)
        {
            filter.Filter(input.AsSpan(i, Math.Min(chunk, input.Length - i)), output);
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The relay writes its liveness probe only where <see cref="RfbClientStreamFilter.IsAtMessageBoundary"/> says the
    /// output stands between two client messages. Fed byte by byte, that is exactly when the output handed on so far
    /// ends at the end of a message of <see cref="OtherMessages"/> (lengths from rfbproto), and never before ClientInit.
    /// </summary>
    [Fact]
    public void IsAtMessageBoundaryOnlyWhenTheOutputEndsBetweenClientMessages()
    {
        var handshake = (byte[])[.. Version38, 0x01, 0x01];
        var messages = HexVectors.Hex(OtherMessages);
        int[] lengths = [20, 10, 8, 6, 11, 16, 10, 11, 4, 24, 12];
        Assert.Equal(messages.Length, lengths.Sum());
        var boundaries = new HashSet<int> { handshake.Length };
        var end = handshake.Length;
        foreach (var length in lengths)
        {
            end += length;
            boundaries.Add(end);
        }

        var filter = new RfbClientStreamFilter();
        var output = new ArrayBufferWriter<byte>();
        Assert.False(filter.IsAtMessageBoundary);
        var input = (byte[])[.. handshake, .. messages];
        var boundariesSeen = 0;
        for (var i = 0; i < input.Length; i++)
        {
            filter.Filter(input.AsSpan(i, 1), output);
            var atBoundary = filter.InNormalPhase && boundaries.Contains(output.WrittenCount);
            Assert.True(atBoundary == filter.IsAtMessageBoundary, $"after input byte {i}, output {output.WrittenCount} bytes: {filter.IsAtMessageBoundary}");
            if (filter.IsAtMessageBoundary && output.WrittenCount == i + 1) boundariesSeen++;
        }
        Assert.Equal(input.AsSpan().ToArray(), output.WrittenSpan.ToArray());
        Assert.Equal(lengths.Length + 1, boundariesSeen); // every message's end was a boundary as its last byte arrived
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void NoVncsEncodingsLoseWhatCannotBeReplayedAndTheRestPassesByteIdentical(int chunk)
    {
        var input = (byte[])[.. Version38, 0x01, 0x01, .. HexVectors.Hex(NoVncSetEncodings), .. HexVectors.Hex(OtherMessages)];
        var expected = (byte[])[.. Version38, 0x01, 0x01, .. HexVectors.Hex(FilteredSetEncodings), .. HexVectors.Hex(OtherMessages)];
        var filter = new RfbClientStreamFilter();

        var output = Run(filter, input, chunk);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(output));
        Assert.True(filter.IsFollowing);
        Assert.True(filter.InNormalPhase);
        Assert.Equal(1u, filter.SecurityType);
        Assert.Equal(1, filter.Rewrites);
        Assert.Equal(24, filter.RequestedEncodings.Count);
        Assert.Contains(-26, filter.ForwardedEncodings);
        Assert.DoesNotContain(-260, filter.ForwardedEncodings);
        Assert.Equal(input.Length, filter.BytesIn);
        Assert.Equal(expected.Length, filter.BytesOut);
    }

    // The same without quality level 6 (-26): what a target made lossless forwards.
    private const string LosslessSetEncodings =
        "02000013 00000001 00000007 00000010 00000005 00000002 00000000 ffffff02 ffffff21 ffffff20 fffffefe fffffefb " +
        "fffffecc fffffecb fffffec8 fffffec7 fffffecd c0a1e5ce 574d5664 ffffff11";

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(5)]
    public void ALosslessFilterAlsoDropsNoVncsJpegQualityLevel(int chunk)
    {
        var input = (byte[])[.. Version38, 0x01, 0x01, .. HexVectors.Hex(NoVncSetEncodings), .. HexVectors.Hex(OtherMessages)];
        var expected = (byte[])[.. Version38, 0x01, 0x01, .. HexVectors.Hex(LosslessSetEncodings), .. HexVectors.Hex(OtherMessages)];
        var filter = new RfbClientStreamFilter(lossless: true);

        var output = Run(filter, input, chunk);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(output));
        Assert.True(filter.Lossless);
        Assert.Contains(-26, filter.RequestedEncodings);
        Assert.DoesNotContain(filter.ForwardedEncodings, e => e is >= -32 and <= -23);
        Assert.Contains(7, filter.ForwardedEncodings); // Tight stays, without JPEG
        Assert.Equal(-256 + 2, filter.ForwardedEncodings.Single(e => e is >= -256 and <= -247)); // the compression level stays
        Assert.Equal(expected.Length, filter.BytesOut);
    }

    [Theory]
    [InlineData(-32)]
    [InlineData(-26)]
    [InlineData(-23)]
    public void OnlyALosslessFilterWithholdsTheQualityLevels(int qualityLevel)
    {
        Assert.True(new RfbClientStreamFilter().Forwards(qualityLevel));
        Assert.False(new RfbClientStreamFilter(lossless: true).Forwards(qualityLevel));
        Assert.False(new RfbClientStreamFilter().Lossless);
    }

    [Theory]
    [InlineData(7)] // Tight
    [InlineData(-254)] // compression level 2
    [InlineData(16)] // ZRLE
    [InlineData(-260, false)] // TightPNG: dropped either way
    public void ALosslessFilterKeepsEverythingElseItWouldForward(int encoding, bool forwarded = true)
    {
        Assert.Equal(forwarded, new RfbClientStreamFilter(lossless: true).Forwards(encoding));
        Assert.Equal(forwarded, new RfbClientStreamFilter().Forwards(encoding));
    }

    [Theory]
    [InlineData(-32, true)] // quality level 0
    [InlineData(-26, true)] // quality level 6, noVNC's default
    [InlineData(-23, true)] // quality level 9
    [InlineData(-33, false)]
    [InlineData(-22, false)]
    [InlineData(7, true)] // Tight, JpegCompression included
    [InlineData(-256, true)] // compression level 0
    [InlineData(-260, false)] // TightPNG
    [InlineData(21, false)] // JPEG encoding
    [InlineData(50, false)] // Open H.264
    [InlineData(-512, false)] // TigerVNC fine quality level 0
    [InlineData(-763, false)] // TigerVNC subsampling
    public void JpegQualityLevelsAreReplayableNowThatTightJpegDecodes(int encoding, bool replayable)
    {
        Assert.Equal(replayable, RfbClientStreamFilter.IsReplayable(encoding));
    }

    [Theory]
    [InlineData(0, -32)]
    [InlineData(8, -24)]
    [InlineData(9, -23)]
    public void TheEnginesJpegRequestAddsAQualityAndACompressLevelAndAllOfItIsReplayable(int quality, int qualityLevel)
    {
        var list = RfbClient.DefaultEncodings(quality);
        Assert.Equal([.. RfbClient.DefaultEncodings(), qualityLevel, -256 + RfbClientOptions.JpegCompressLevel], list);
        Assert.All(list, e => Assert.True(RfbClientStreamFilter.IsReplayable(e), $"{e}"));
        Assert.Equal(RfbClient.DefaultEncodings(), RfbClient.DefaultEncodings(null));
        Assert.DoesNotContain(RfbClient.DefaultEncodings(), e => e is >= -32 and <= -23); // lossless by default
        Assert.Throws<ArgumentOutOfRangeException>(() => RfbClient.DefaultEncodings(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RfbClient(new RfbClientOptions { JpegQuality = -1 }, new RecordingSink()));
    }

    [Fact]
    public void AListWithNothingToDropIsForwardedAsItCame()
    {
        // Padding byte 0x7f kept: an unchanged message is not re-encoded.
        var input = (byte[])[.. Version38, 0x01, 0x00, .. HexVectors.Hex("027f0003 00000007 00000000 ffffff11")];
        var filter = new RfbClientStreamFilter();
        Assert.Equal(input, Run(filter, input));
        Assert.Equal(0, filter.Rewrites);
    }

    [Fact]
    public void VncAuthenticationResponsePassesThroughUnread()
    {
        var response = HexVectors.Hex("02000018 00000001 00000007 fffffefc");  // 16 bytes that look like SetEncodings
        var input = (byte[])[.. Version38, 0x02, .. response, 0x01, .. HexVectors.Hex("02000002 fffffefc 00000000")];
        var expected = (byte[])[.. Version38, 0x02, .. response, 0x01, .. HexVectors.Hex("02000001 00000000")];
        var filter = new RfbClientStreamFilter();
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(Run(filter, input, 5)));
        Assert.Equal(2u, filter.SecurityType);
    }

    [Fact]
    public void Version33TakesTheSecurityTypeFromTheServer()
    {
        var filter = new RfbClientStreamFilter();
        filter.ObserveServer(Encoding.ASCII.GetBytes("RFB 003.003\n"));
        filter.ObserveServer(HexVectors.Hex("00000001"));
        var input = (byte[])[.. Encoding.ASCII.GetBytes("RFB 003.003\n"), 0x01, .. HexVectors.Hex("02000002 fffffefc 00000010")];
        var expected = (byte[])[.. Encoding.ASCII.GetBytes("RFB 003.003\n"), 0x01, .. HexVectors.Hex("02000001 00000010")];
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(Run(filter, input, 2)));
        Assert.Equal(1u, filter.SecurityType);
    }

    [Fact]
    public void Version33ClientBytesWaitForTheServersChoice()
    {
        var filter = new RfbClientStreamFilter();
        var output = new ArrayBufferWriter<byte>();
        filter.ObserveServer(Encoding.ASCII.GetBytes("RFB 003.003\n"));
        filter.Filter([.. Encoding.ASCII.GetBytes("RFB 003.003\n"), 0x01], output);
        Assert.Equal(12, output.WrittenCount);
        filter.ObserveServer(HexVectors.Hex("00000001"));
        filter.Filter([], output);
        Assert.Equal(13, output.WrittenCount);
        Assert.True(filter.InNormalPhase);
    }

    [Fact]
    public void VeNCryptMakesTheStreamOpaqueAndNothingIsRewritten()
    {
        var rest = HexVectors.Hex("0002 0100 " + NoVncSetEncodings);
        var input = (byte[])[.. Version38, 0x13, .. rest];
        var filter = new RfbClientStreamFilter();
        Assert.Equal(input, Run(filter, input, 4));
        Assert.False(filter.IsFollowing);
        Assert.Contains("security type 19", filter.StoppedReason, StringComparison.Ordinal);
        Assert.Equal(0, filter.Rewrites);
    }

    [Theory]
    [InlineData("07", "unknown message type 7")]
    [InlineData("ff 05", "submessage type 5")]
    [InlineData("02 00 0401", "exceed the cap")]
    [InlineData("06 000000 7fffffff", "exceeds the cap")]
    [InlineData("f8 000000 00000000 41", "exceeds the cap")]
    public void MalformedClientMessagesAreDecodeExceptionsWithTheStreamOffset(string message, string why)
    {
        var filter = new RfbClientStreamFilter();
        var ex = Assert.Throws<DecodeException>(() => Run(filter, [.. Version38, 0x01, 0x01, .. HexVectors.Hex("04 01 0000 00000061"), .. HexVectors.Hex(message)]));
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Offset >= 22, $"offset {ex.Offset} should point into the stream after the handshake");
    }

    [Fact]
    public void ABadVersionIsADecodeException()
    {
        Assert.Throws<DecodeException>(() => Run(new RfbClientStreamFilter(), Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n")));
    }

    [Theory]
    [InlineData(0, "01")]
    [InlineData(1, "02")]
    [InlineData(2, "10")]
    [InlineData(3, "01")]
    public void FuzzRandomAndMutatedStreamsYieldOutputOrDecodeException(int seed, string security)
    {
        var random = new Random(seed);
        var valid = (byte[])[.. Version38, .. HexVectors.Hex(security), .. (security == "02" ? new byte[16] : []), 0x01,
            .. HexVectors.Hex(NoVncSetEncodings), .. HexVectors.Hex(OtherMessages)];
        for (var i = 0; i < 2000; i++)
        {
            byte[] input;
            if (i % 4 == 0)
            {
                input = new byte[random.Next(0, 300)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])valid.Clone();
                for (var m = random.Next(1, 6); m > 0; m--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }
                if (i % 3 == 0) input = input[..random.Next(input.Length)];
            }
            var filter = new RfbClientStreamFilter(maxClipboardBytes: 4096);
            filter.ObserveServer([.. Encoding.ASCII.GetBytes("RFB 003.003\n"), 0, 0, 0, (byte)random.Next(4)]);
            try
            {
                var output = Run(filter, input, random.Next(1, 40));
                Assert.True(output.Length <= input.Length + 8);
            }
            catch (DecodeException)
            {
                // Malformed input: the one allowed failure.
            }
        }
    }
}
