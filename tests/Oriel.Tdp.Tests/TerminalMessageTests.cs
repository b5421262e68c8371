using CsCheck;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Tdp.Tests;

/// <summary>
/// The terminal messages 108-113 (docs/tdp.md) beyond the shared vectors: every truncation, the caps at and
/// one past their value on decode, framing and encode, what is logged, and generated round trips (CsCheck).
/// </summary>
public sealed class TerminalMessageTests
{
    private static readonly TdpMessageType[] TerminalTypes =
        [TdpMessageType.TerminalOutput, TdpMessageType.TerminalInput, TdpMessageType.TerminalResize, TdpMessageType.TerminalAck,
        TdpMessageType.TerminalExit, TdpMessageType.TerminalSize];

    private static string[] Names =>
    [
        .. TdpVectors.Valid
            .Where(v => TerminalTypes.Contains((TdpMessageType)v.GetProperty("message").GetProperty("type").GetByte()))
            .Select(v => v.GetProperty("name").GetString()!),
    ];

    public static TheoryData<string> TerminalVectorNames => [.. Names];

    [Fact]
    public void Each_terminal_type_has_vectors()
    {
        var names = Names;
        foreach (var type in TerminalTypes)
        {
            Assert.Contains(names, n => TdpVectors.ValidNamed(n).GetProperty("message").GetProperty("type").GetByte() == (byte)type);
        }
    }

    [Theory]
    [MemberData(nameof(TerminalVectorNames))]
    public void Every_truncation_is_refused(string name)
    {
        var bytes = TdpVectors.Bytes(TdpVectors.ValidNamed(name));
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var ex = Assert.Throws<DecodeException>(() => TdpCodec.Decode(bytes.AsSpan(0, cut)));
            Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(TdpMessageType.TerminalOutput, TdpLimits.MaxTerminalOutputBytes)]
    [InlineData(TdpMessageType.TerminalInput, TdpLimits.MaxTerminalInputBytes)]
    public void Data_at_the_cap_round_trips_and_one_past_is_refused(TdpMessageType type, int cap)
    {
        var data = Enumerable.Range(0, cap).Select(i => (byte)(i * 7)).ToArray();
        TdpMessage Make(byte[] d) => type == TdpMessageType.TerminalOutput ? new TerminalOutputMessage(d) : new TerminalInputMessage(d);

        var bytes = TdpCodec.Encode(Make(data));
        Assert.Equal(5 + cap, bytes.Length);
        MessageAssert.Equal(Make(data), TdpCodec.Decode(bytes));
        Assert.True(TdpCodec.TryGetMessageLength(bytes, out var length));
        Assert.Equal(bytes.Length, length);

        Assert.Throws<ArgumentException>(() => TdpCodec.Encode(Make(new byte[cap + 1])));

        // One past the cap, and the largest uint32: refused from the 5-byte header alone, before any payload.
        foreach (var n in new[] { (uint)cap + 1, uint.MaxValue })
        {
            byte[] header = [(byte)type, (byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n];
            var decode = Assert.Throws<DecodeException>(() => TdpCodec.Decode(header));
            Assert.Contains($"length {n} exceeds the cap of {cap}", decode.Message, StringComparison.Ordinal);
            var frame = Assert.Throws<DecodeException>(() => TdpCodec.TryGetMessageLength(header, out _));
            Assert.Contains("exceeds the cap", frame.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0, 24, 0, 0)]
    [InlineData(80, 0, 0, 0)]
    [InlineData(TdpLimits.MaxTerminalCells + 1, 24, 0, 0)]
    [InlineData(80, TdpLimits.MaxTerminalCells + 1, 0, 0)]
    [InlineData(80, 24, TdpLimits.MaxScreenSide + 1, 0)]
    [InlineData(80, 24, 0, ushort.MaxValue)]
    public void Resize_out_of_range_is_refused_by_the_encoder(int columns, int rows, int widthPx, int heightPx)
    {
        var m = new TerminalResizeMessage((ushort)columns, (ushort)rows, (ushort)widthPx, (ushort)heightPx);
        Assert.Throws<ArgumentOutOfRangeException>(() => TdpCodec.Encode(m));
    }

    [Theory]
    [InlineData(0, 24)]
    [InlineData(80, 0)]
    [InlineData(TdpLimits.MaxTerminalCells + 1, 24)]
    [InlineData(80, ushort.MaxValue)]
    public void Size_out_of_range_is_refused_by_the_encoder(int columns, int rows)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TdpCodec.Encode(new TerminalSizeMessage((ushort)columns, (ushort)rows)));
    }

    [Fact]
    public void Ack_of_zero_is_refused_by_the_encoder()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TdpCodec.Encode(new TerminalAckMessage(0)));
    }

    [Theory]
    [InlineData(TerminalExitKind.Signaled, 0u, "", "")]
    [InlineData(TerminalExitKind.Exited, 0u, "KILL", "")]
    [InlineData(TerminalExitKind.Unknown, 1u, "", "")]
    [InlineData(TerminalExitKind.Signaled, 1u, "KILL", "")]
    [InlineData(TerminalExitKind.Signaled, 0u, "K L", "")]
    [InlineData(TerminalExitKind.Signaled, 0u, "TÖTEN", "")]
    [InlineData(TerminalExitKind.Signaled, 0u, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", "")]
    [InlineData((TerminalExitKind)3, 0u, "", "")]
    public void Exit_that_breaks_a_rule_is_refused_by_the_encoder(TerminalExitKind kind, uint status, string signal, string message)
    {
        Assert.ThrowsAny<ArgumentException>(() => TdpCodec.Encode(new TerminalExitMessage(kind, status, signal, message)));
    }

    [Fact]
    public void Exit_header_over_a_cap_is_refused_before_the_payload()
    {
        byte[] signal = [112, 1, 0, 0, 0, 0, 0, 0, 0, 33, 0, 0, 0, 0];
        byte[] message = [112, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1];
        Assert.Contains("signal_length 33 exceeds the cap of 32",
            Assert.Throws<DecodeException>(() => TdpCodec.TryGetMessageLength(signal, out _)).Message, StringComparison.Ordinal);
        Assert.Contains("message_length 65537 exceeds the cap of 65536",
            Assert.Throws<DecodeException>(() => TdpCodec.TryGetMessageLength(message, out _)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_splits_a_UTF8_character_across_messages()
    {
        // "é" is C3 A9: each half is a valid message on its own, and together they are the character.
        var first = (TerminalOutputMessage)TdpCodec.Decode([108, 0, 0, 0, 1, 0xC3]);
        var second = (TerminalOutputMessage)TdpCodec.Decode([108, 0, 0, 0, 1, 0xA9]);
        Assert.Equal("é", System.Text.Encoding.UTF8.GetString([.. first.Data, .. second.Data]));
    }

    [Fact]
    public void Input_and_output_show_only_their_length()
    {
        var secret = "hunter2"u8.ToArray();
        var input = new TerminalInputMessage(secret).ToString();
        var output = new TerminalOutputMessage(secret).ToString();
        Assert.Equal("TerminalInputMessage { Length = 7 }", input);
        Assert.Equal("TerminalOutputMessage { Length = 7 }", output);
    }

    [Fact]
    public void Directions_are_output_from_the_server_and_the_rest_from_the_client()
    {
        foreach (var t in new[] { TdpMessageType.TerminalOutput, TdpMessageType.TerminalExit, TdpMessageType.TerminalSize })
        {
            Assert.True(TdpMessageDirection.IsSentByServer(t));
            Assert.False(TdpMessageDirection.IsSentByClient(t));
        }
        foreach (var t in new[] { TdpMessageType.TerminalInput, TdpMessageType.TerminalResize, TdpMessageType.TerminalAck })
        {
            Assert.True(TdpMessageDirection.IsSentByClient(t));
            Assert.False(TdpMessageDirection.IsSentByServer(t));
        }
    }

    private static readonly Gen<TdpMessage> s_terminalMessage = Gen.OneOf<TdpMessage>(
        Gen.Byte.Array[0, 300].Select(d => (TdpMessage)new TerminalOutputMessage(d)),
        Gen.Byte.Array[0, 300].Select(d => (TdpMessage)new TerminalInputMessage(d)),
        Gen.Select(Gen.UShort[1, TdpLimits.MaxTerminalCells], Gen.UShort[1, TdpLimits.MaxTerminalCells],
            Gen.UShort[0, TdpLimits.MaxScreenSide], Gen.UShort[0, TdpLimits.MaxScreenSide],
            (c, r, w, h) => (TdpMessage)new TerminalResizeMessage(c, r, w, h)),
        Gen.UInt[1, uint.MaxValue].Select(b => (TdpMessage)new TerminalAckMessage(b)),
        Gen.Select(Gen.UShort[1, TdpLimits.MaxTerminalCells], Gen.UShort[1, TdpLimits.MaxTerminalCells], (c, r) => (TdpMessage)new TerminalSizeMessage(c, r)),
        Gen.Select(Gen.UInt, Gen.String[Gen.Char['!', '~'], 1, TdpLimits.MaxSignalNameBytes], Gen.String[0, 40], Gen.Int[0, 2],
            (status, signal, message, kind) => (TdpMessage)(kind switch
            {
                0 => new TerminalExitMessage(TerminalExitKind.Exited, status, "", message),
                1 => new TerminalExitMessage(TerminalExitKind.Signaled, 0, signal, message),
                _ => new TerminalExitMessage(TerminalExitKind.Unknown, 0, "", message),
            })));

    [Fact]
    public void Generated_messages_round_trip_and_frame_on_a_stream()
    {
        s_terminalMessage.Array[1, 8].Sample(messages =>
        {
            var stream = messages.SelectMany(TdpCodec.Encode).ToArray();
            var at = 0;
            foreach (var expected in messages)
            {
                Assert.True(TdpCodec.TryGetMessageLength(stream.AsSpan(at), out var length));
                Assert.Equal(expected.Size, length);
                MessageAssert.Equal(expected, TdpCodec.Decode(stream.AsSpan(at, length)));
                at += length;
            }
            Assert.Equal(stream.Length, at);
        });
    }
}
