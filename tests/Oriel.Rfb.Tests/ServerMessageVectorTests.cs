using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Rfb.Tests;

public class ServerMessageVectorTests
{
    [Fact]
    public void SecurityTypes()
    {
        var bytes = HexVectors.Load("security_types");
        Assert.True(SecurityTypesMessage.TryFrame(bytes, out var len));
        Assert.Equal(bytes.Length, len);
        Assert.False(SecurityTypesMessage.TryFrame(bytes.AsSpan(0, 2), out _));
        var r = new SpanReader(bytes);
        var m = SecurityTypesMessage.Decode(ref r);
        Assert.Equal([1, 2], m.Types);
        Assert.Null(m.FailureReason);
        Assert.Equal(bytes, Wire.Encode(m.Size, m.Encode));
    }

    [Fact]
    public void SecurityTypesFailure()
    {
        var bytes = HexVectors.Load("security_types_failure");
        Assert.True(SecurityTypesMessage.TryFrame(bytes, out var len));
        Assert.Equal(bytes.Length, len);
        var r = new SpanReader(bytes);
        var m = SecurityTypesMessage.Decode(ref r);
        Assert.Equal("Server busy", m.FailureReason);
        Assert.Equal(bytes, Wire.Encode(m.Size, m.Encode));
    }

    [Fact]
    public void SecurityTypeVersion33()
    {
        var bytes = HexVectors.Load("security_type_3_3");
        var r = new SpanReader(bytes);
        var m = SecurityTypeMessage.Decode(ref r);
        Assert.Equal(2u, m.Type);
        Assert.Equal(bytes, Wire.Encode(m.Size, m.Encode));
    }

    [Fact]
    public void SecurityResult()
    {
        var ok = HexVectors.Load("security_result_ok");
        var r = new SpanReader(ok);
        Assert.Equal(new SecurityResultMessage(0, null), SecurityResultMessage.Decode(ref r, hasReason: true));

        var failed = HexVectors.Load("security_result_failed_3_8");
        Assert.True(SecurityResultMessage.TryFrame(failed, true, out var len));
        Assert.Equal(failed.Length, len);
        Assert.True(SecurityResultMessage.TryFrame(failed, false, out len));
        Assert.Equal(4, len);
        r = new SpanReader(failed);
        var m = SecurityResultMessage.Decode(ref r, hasReason: true);
        Assert.Equal(new SecurityResultMessage(1, "Authentication failure"), m);
        Assert.Equal(failed, Wire.Encode(m.Size, m.Encode));
    }

    [Fact]
    public void ServerInit()
    {
        var bytes = HexVectors.Load("server_init");
        Assert.True(ServerInitMessage.TryFrame(bytes, out var len));
        Assert.Equal(bytes.Length, len);
        Assert.False(ServerInitMessage.TryFrame(bytes.AsSpan(0, bytes.Length - 1), out _));
        var r = new SpanReader(bytes);
        var m = ServerInitMessage.Decode(ref r);
        Assert.Equal(new ServerInitMessage(800, 600, PixelFormat.Rgb888, "test"), m);
        Assert.Equal(bytes, Wire.Encode(m.Size, m.Encode));
    }

    [Fact]
    public void ServerInitRefusesZeroSizeAndHugeNames()
    {
        var bytes = HexVectors.Load("server_init");
        bytes[0] = 0;
        bytes[1] = 0;
        Assert.Throws<DecodeException>(() =>
        {
            var r = new SpanReader(bytes);
            ServerInitMessage.Decode(ref r);
        });
        var huge = HexVectors.Load("server_init");
        huge[20] = 0x7F; // name-length 0x7F000004
        Assert.Throws<DecodeException>(() => ServerInitMessage.TryFrame(huge, out _));
    }

    [Fact]
    public void VeNCryptServerMessages()
    {
        var r = new SpanReader(HexVectors.Load("vencrypt_version_0_2"));
        Assert.Equal(new VeNCryptVersionMessage(0, 2), VeNCryptVersionMessage.Decode(ref r));
        var bytes = HexVectors.Load("vencrypt_subtypes");
        Assert.True(VeNCryptSubtypesMessage.TryFrame(bytes, out var len));
        Assert.Equal(bytes.Length, len);
        r = new SpanReader(bytes);
        var m = VeNCryptSubtypesMessage.Decode(ref r);
        Assert.Equal([262u, 259u], m.Subtypes);
        Assert.Equal(bytes, Wire.Encode(m.Size, m.Encode));
    }

    [Fact]
    public void FramebufferUpdateRawRectangle()
    {
        var bytes = HexVectors.Load("framebuffer_update_raw");
        var r = new SpanReader(bytes);
        Assert.Equal(new FramebufferUpdateMessage(1), FramebufferUpdateMessage.Decode(ref r));
        var header = RectangleHeader.Decode(ref r);
        Assert.Equal(new RectangleHeader(0, 0, 2, 1, RfbEncodingType.Raw), header);
        Assert.Equal(8, r.Remaining);
        Assert.Equal(bytes[4..16], Wire.Encode(RectangleHeader.Length, header.Encode));
        Assert.Equal(bytes[..4], Wire.Encode(FramebufferUpdateMessage.Length, new FramebufferUpdateMessage(1).Encode));
    }

    [Fact]
    public void FramebufferUpdateCopyRectRectangle()
    {
        var bytes = HexVectors.Load("framebuffer_update_copyrect");
        var r = new SpanReader(bytes);
        Assert.Equal(1, FramebufferUpdateMessage.Decode(ref r).RectangleCount);
        Assert.Equal(new RectangleHeader(1, 0, 1, 1, RfbEncodingType.CopyRect), RectangleHeader.Decode(ref r));
        Assert.Equal(0u, r.ReadUInt32());
        r.EnsureEnd();
    }

    [Fact]
    public void SetColourMapEntries()
    {
        var bytes = HexVectors.Load("set_colour_map_entries");
        Assert.True(SetColourMapEntriesMessage.TryFrame(bytes, out var len));
        Assert.Equal(bytes.Length, len);
        var r = new SpanReader(bytes);
        var m = SetColourMapEntriesMessage.Decode(ref r);
        Assert.Equal(0, m.FirstColour);
        Assert.Equal([new RfbColour(0xffff, 0, 0), new RfbColour(0, 0x8000, 0xffff)], m.Colours);
        Assert.Equal(0x00FF0000u, m.Colours[0].ToRgb());
        Assert.Equal(0x000080FFu, m.Colours[1].ToRgb());
        Assert.Equal(bytes, Wire.Encode(m.Size, m.Encode));
    }

    [Fact]
    public void Bell()
    {
        var bytes = HexVectors.Load("bell");
        var r = new SpanReader(bytes);
        BellMessage.Decode(ref r);
        r.EnsureEnd();
        Assert.Equal(bytes, Wire.Encode(BellMessage.Length, default(BellMessage).Encode));
    }

    [Fact]
    public void ServerCutText()
    {
        var bytes = HexVectors.Load("server_cut_text");
        Assert.True(ServerCutTextMessage.TryFrame(bytes, 100, out var len));
        Assert.Equal(bytes.Length, len);
        var r = new SpanReader(bytes);
        var m = ServerCutTextMessage.Decode(ref r, 100);
        Assert.Equal("hello", m.TextString);
        Assert.Equal(bytes, Wire.Encode(m.Size, m.Encode));
    }

    [Fact]
    public void ServerCutTextLengthIsCappedBeforeBuffering()
    {
        var header = HexVectors.Hex("03 000000 7fffffff");
        var ex = Assert.Throws<DecodeException>(() => ServerCutTextMessage.TryFrame(header, 1 << 20, out _));
        Assert.Contains("cap", ex.Why, StringComparison.Ordinal);
        // int.MinValue as an extended length must not overflow.
        Assert.Throws<DecodeException>(() => ServerCutTextMessage.TryFrame(HexVectors.Hex("03 000000 80000000"), 1 << 20, out _));
        // An extended body shorter than its flags word.
        Assert.Throws<DecodeException>(() => ServerCutTextMessage.TryFrame(HexVectors.Hex("03 000000 fffffffe 0000"), 1 << 20, out _));
    }

    [Fact]
    public void ServerCutTextExtendedProvide()
    {
        var bytes = HexVectors.Load("server_cut_text_extended_provide");
        Assert.True(ServerCutTextMessage.TryFrame(bytes, 100, out var len));
        Assert.Equal(bytes.Length, len);
        var r = new SpanReader(bytes);
        var m = ServerCutTextMessage.Decode(ref r, 100);
        Assert.Null(m.Text);
        Assert.Equal(ExtendedClipboardFlags.Provide | ExtendedClipboardFlags.Text, m.Extended!.Flags);
        Assert.Equal("hi\nyo", m.Extended.ReadProvidedText(100));
        Assert.Equal(bytes, Wire.Encode(m.Size, m.Encode));
        // The text size is capped before inflating it.
        Assert.Throws<DecodeException>(() => m.Extended.ReadProvidedText(6));
    }

    [Fact]
    public void ServerCutTextExtendedProvideWithAPresetDictionaryIsADecodeException()
    {
        // Found by afl-fuzz (tests/fuzz-regressions/rfb-server/crash-b8a1d62014cf294f): a zlib header with the
        // FDICT bit (78 20) makes inflate ask for a dictionary; .NET reports that as ZLibException (an
        // IOException), not InvalidDataException, and it escaped the engine.
        var bytes = HexVectors.Hex("03 000000 ffffffe9 10000001 7820 00606060cfc8e4e5aacc4c00000843 01d8");
        Assert.True(ServerCutTextMessage.TryFrame(bytes, 100, out var len));
        Assert.Equal(bytes.Length, len);
        var r = new SpanReader(bytes);
        var m = ServerCutTextMessage.Decode(ref r, 100);
        var e = Assert.Throws<DecodeException>(() => m.Extended!.ReadProvidedText(100));
        Assert.Contains("bad zlib stream", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtendedClipboardProvideRoundTrips()
    {
        var m = ExtendedClipboardMessage.CreateTextProvide("ä\nb");
        Assert.Equal("ä\nb", m.ReadProvidedText(100));
        var bad = new ExtendedClipboardMessage(m.Flags, [1, 2, 3, 4, 5]);
        Assert.Throws<DecodeException>(() => bad.ReadProvidedText(100));
    }

    [Fact]
    public void CursorRectangle()
    {
        var bytes = HexVectors.Load("cursor_rect");
        var r = new SpanReader(bytes);
        var header = RectangleHeader.Decode(ref r);
        Assert.Equal(new RectangleHeader(1, 0, 2, 1, RfbEncodingType.Cursor), header);
        var pixels = new PixelConverter(PixelFormat.Rgb888);
        Assert.Equal(9, CursorPseudoEncoding.PayloadLength(2, 1, 4));
        var rgba = CursorPseudoEncoding.DecodeRgba(r.RemainingSpan, 2, 1, pixels);
        Assert.Equal(new byte[] { 0xff, 0, 0, 0xff, 0, 0xff, 0, 0 }, rgba);
    }

    [Fact]
    public void ExtendedDesktopSizeRectangle()
    {
        var bytes = HexVectors.Load("extended_desktop_size_rect");
        var r = new SpanReader(bytes);
        Assert.Equal(new RectangleHeader(0, 0, 1024, 768, RfbEncodingType.ExtendedDesktopSize), RectangleHeader.Decode(ref r));
        Assert.True(ExtendedDesktopSizePayload.TryGetLength(r.RemainingSpan, out var len));
        Assert.Equal(20, len);
        var layout = ExtendedDesktopSizePayload.Decode(ref r);
        r.EnsureEnd();
        Assert.Equal([new DesktopScreen(1, 0, 0, 1024, 768, 0)], layout.Screens);
        Assert.Equal(bytes[12..], Wire.Encode(layout.Size, layout.Encode));
    }

    [Theory]
    [InlineData("RFB 003.008\n", 3, 8)]
    [InlineData("RFB 003.007\n", 3, 7)]
    [InlineData("RFB 003.003\n", 3, 3)]
    [InlineData("RFB 003.005\n", 3, 3)] // RFC 6143 7.1.1: 3.5 is to be read as 3.3
    [InlineData("RFB 003.004\n", 3, 3)]
    [InlineData("RFB 003.006\n", 3, 3)]
    [InlineData("RFB 003.889\n", 3, 8)] // Apple Remote Desktop
    [InlineData("RFB 004.001\n", 3, 8)]
    [InlineData("RFB 005.000\n", 3, 8)]
    public void VersionNegotiation(string server, int major, int minor)
    {
        var r = new SpanReader(System.Text.Encoding.ASCII.GetBytes(server));
        Assert.Equal(new ProtocolVersionMessage(major, minor), ProtocolVersionMessage.Decode(ref r).Negotiate());
    }

    [Theory]
    [InlineData("RFB 003.002\n")]
    [InlineData("RFB 002.009\n")]
    [InlineData("RFB 003.00x\n")]
    [InlineData("RFB 003-008\n")]
    [InlineData("SSH-2.0-Open")]
    [InlineData("RFB 003.008\r")]
    public void UnusableVersionsAreRefused(string server)
    {
        Assert.Throws<DecodeException>(() =>
        {
            var r = new SpanReader(System.Text.Encoding.ASCII.GetBytes(server));
            ProtocolVersionMessage.Decode(ref r).Negotiate();
        });
    }
}
