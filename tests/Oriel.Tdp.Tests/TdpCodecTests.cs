using System.Text;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Tdp.Tests;

public sealed class TdpCodecTests
{
    [Fact]
    public void PngFrame2_WriteHeader_matches_Encode()
    {
        var png = new byte[] { 1, 2, 3, 4, 5 };
        var expected = TdpCodec.Encode(new PngFrame2Message(7, 8, 0xFFFFFFFF, 10, png));
        var buffer = Enumerable.Repeat((byte)0xFF, PngFrame2Message.HeaderSize + png.Length).ToArray();
        PngFrame2Message.WriteHeader(buffer, 7, 8, 0xFFFFFFFF, 10, png.Length);
        png.CopyTo(buffer, PngFrame2Message.HeaderSize);
        Assert.Equal(21, PngFrame2Message.HeaderSize);
        Assert.Equal(expected, buffer);
    }

    [Fact]
    public void PngFrame2_WriteHeader_refuses_a_short_buffer_and_over_cap_length()
    {
        Assert.ThrowsAny<ArgumentException>(() => PngFrame2Message.WriteHeader(new byte[20], 0, 0, 1, 1, 0));
        Assert.ThrowsAny<ArgumentException>(() => PngFrame2Message.WriteHeader(new byte[21], 0, 0, 1, 1, TdpLimits.MaxPngBytes + 1));
        Assert.ThrowsAny<ArgumentException>(() => PngFrame2Message.WriteHeader(new byte[21], 0, 0, 1, 1, -1));
    }

    [Fact]
    public void JpegFrame_WriteHeader_matches_Encode_and_refuses_bad_lengths()
    {
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 };
        var expected = TdpCodec.Encode(new JpegFrameMessage(1, 2, 300, 0xFFFFFFFF, jpeg));
        var buffer = Enumerable.Repeat((byte)0xFF, JpegFrameMessage.HeaderSize + jpeg.Length).ToArray();
        JpegFrameMessage.WriteHeader(buffer, 1, 2, 300, 0xFFFFFFFF, jpeg.Length);
        jpeg.CopyTo(buffer, JpegFrameMessage.HeaderSize);
        Assert.Equal(expected, buffer);
        Assert.Equal(106, buffer[0]);
        Assert.True(TdpCodec.TryGetMessageLength(buffer, out var n));
        Assert.Equal(buffer.Length, n);
        Assert.False(TdpCodec.TryGetMessageLength(buffer.AsSpan(0, buffer.Length - 1), out _));
        Assert.ThrowsAny<ArgumentException>(() => JpegFrameMessage.WriteHeader(new byte[20], 0, 0, 1, 1, 0));
        Assert.ThrowsAny<ArgumentException>(() => JpegFrameMessage.WriteHeader(new byte[21], 0, 0, 1, 1, TdpLimits.MaxJpegBytes + 1));
        Assert.ThrowsAny<ArgumentException>(() => JpegFrameMessage.WriteHeader(new byte[21], 0, 0, 1, 1, -1));
        Assert.True(TdpMessageDirection.IsSentByServer(TdpMessageType.JpegFrame));
        Assert.False(TdpMessageDirection.IsSentByClient(TdpMessageType.JpegFrame));
    }

    [Fact]
    public void Encode_refuses_a_destination_that_is_too_small()
    {
        Assert.Throws<ArgumentException>(() => TdpCodec.Encode(new MouseMoveMessage(1, 2), new byte[8]));
    }

    public static TheoryData<TdpMessage> Unsendable =>
    [
        new ClientScreenSpecMessage(0, 1),
        new DesktopSizeMessage(1, TdpLimits.MaxScreenSide + 1),
        new MouseButtonMessage((MouseButton)3, ButtonState.Pressed),
        new KeyboardInputMessage(1, (KeyState)2),
        new MouseWheelMessage((WheelAxis)2, 1),
        new NotificationMessage("x", (Severity)3),
        new MfaMessage((MfaType)(byte)'x', "{}"),
        new ClientUsernameMessage(new string('é', 129)),
        new ErrorMessage(new string('a', TdpLimits.MaxTextBytes + 1)),
        new ClipboardDataMessage([0xFF]),
        new ClipboardDataMessage(new byte[TdpLimits.MaxClipboardBytes + 1]),
        new CursorShapeMessage(0, 0, 1, 1, new byte[3]),
        new CursorShapeMessage(0, 0, 257, 1, new byte[257 * 4]),
        new CursorShapeMessage(0, 0, 0, 1, []),
        new CursorShapeMessage(1, 0, 1, 1, new byte[4]),
        new CopyRectMessage(0, 0, TdpLimits.MaxScreenSide + 1, 1, 0, 0),
        new CopyRectMessage(0, 0, 1, 1, uint.MaxValue, 0),
        new KeysymInputMessage(0x61, 0, (KeyState)9),
        new JpegFrameMessage(0, 0, 1, 1, new byte[TdpLimits.MaxJpegBytes + 1]),
        new ResizeRemoteMessage((RemoteResizeMode)2),
    ];

    [Theory]
    [MemberData(nameof(Unsendable))]
    public void Encode_refuses_what_a_peer_would_refuse(TdpMessage m)
    {
        Assert.ThrowsAny<ArgumentException>(() => TdpCodec.Encode(m));
    }

    [Fact]
    public void Clipboard_text_round_trips()
    {
        var m = ClipboardDataMessage.FromText("naïve 🎉");
        var decoded = Assert.IsType<ClipboardDataMessage>(TdpCodec.Decode(TdpCodec.Encode(m)));
        Assert.Equal("naïve 🎉", decoded.Text);
    }

    [Fact]
    public void A_leading_byte_order_mark_is_kept()
    {
        var m = Assert.IsType<ClientUsernameMessage>(TdpCodec.Decode(Convert.FromHexString("0700000003EFBBBF")));
        Assert.Equal("\uFEFF", m.Username);
    }

    [Fact]
    public void ToString_never_shows_keys_or_clipboard_contents()
    {
        Assert.DoesNotContain("secret", ClipboardDataMessage.FromText("secret").ToString(), StringComparison.Ordinal);
        Assert.Contains("Length = 6", ClipboardDataMessage.FromText("secret").ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("4660", new KeyboardInputMessage(0x1234, KeyState.Pressed).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("4660", new KeysymInputMessage(0x1234, 0x1234, KeyState.Pressed).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("assertion", new MfaMessage(MfaType.WebAuthn, "{\"assertion\":1}").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Over_cap_lengths_are_refused_by_framing_before_the_payload_arrives()
    {
        var ex = Assert.Throws<DecodeException>(() => TdpCodec.TryGetMessageLength(Convert.FromHexString("1B04000001"), out _));
        Assert.Contains("png_length 67108865 exceeds the cap of 67108864", ex.Message, StringComparison.Ordinal);
        Assert.Throws<DecodeException>(() => TdpCodec.TryGetMessageLength(Convert.FromHexString("66000000000001000100040001"), out _));
        Assert.Throws<DecodeException>(() => TdpCodec.TryGetMessageLength([11], out _));
    }

    [Fact]
    public void Framing_waits_for_a_partial_header()
    {
        Assert.False(TdpCodec.TryGetMessageLength([], out _));
        Assert.False(TdpCodec.TryGetMessageLength([6, 0], out _));
        Assert.False(TdpCodec.TryGetMessageLength(Convert.FromHexString("020000000000000000000000000000000089504E"), out _));
    }

    [Fact]
    public void A_png_frame_that_is_not_a_png_cannot_be_framed()
    {
        var ex = Assert.Throws<DecodeException>(() => TdpCodec.TryGetMessageLength(new byte[18] { 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, out _));
        Assert.Contains("PNG signature", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_concatenated_stream_splits_into_the_original_messages()
    {
        var parts = TdpVectors.Valid.Where(TdpVectors.Streamable).Select(TdpVectors.Bytes).ToList();
        var stream = parts.SelectMany(p => p).ToArray();
        var found = new List<byte[]>();
        var rest = stream.AsSpan();
        while (TdpCodec.TryGetMessageLength(rest, out var length))
        {
            found.Add(rest[..length].ToArray());
            TdpCodec.Decode(rest[..length]);
            rest = rest[length..];
        }
        Assert.Equal(0, rest.Length);
        Assert.Equal(parts, found);
    }

    [Fact]
    public void Every_type_has_a_name_and_a_direction()
    {
        foreach (var t in Enum.GetValues<TdpMessageType>())
        {
            Assert.NotNull(TdpCodec.NameOf(t));
            Assert.True(TdpMessageDirection.IsSentByClient(t) || TdpMessageDirection.IsSentByServer(t), t.ToString());
        }
        Assert.Null(TdpCodec.NameOf((TdpMessageType)11));
    }

    [Fact]
    public void Size_counts_UTF8_bytes()
    {
        var m = new NotificationMessage("ü€🎉", Severity.Info);
        Assert.Equal(6 + Encoding.UTF8.GetByteCount("ü€🎉"), m.Size);
        Assert.Equal(m.Size, TdpCodec.Encode(m).Length);
    }
}
