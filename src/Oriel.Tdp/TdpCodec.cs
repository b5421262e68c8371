using System.Buffers.Binary;
using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// Decodes and encodes whole TDP messages (RFD 37 and docs/tdp.md), and finds message boundaries on
/// a byte stream. Input is untrusted: every length is checked against <see cref="TdpLimits"/> before
/// anything is allocated, and malformed input throws <see cref="DecodeException"/> only.
/// </summary>
public static class TdpCodec
{
    private const string Generic = "TDP message";

    /// <summary>PNG file signature (PNG spec 5.2).</summary>
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Decodes exactly one whole message (one WebSocket message, or a slice found by
    /// <see cref="TryGetMessageLength"/>). Byte payloads are copied out.
    /// </summary>
    /// <exception cref="DecodeException">Empty input, unknown type, truncation, over-cap length, invalid
    /// UTF-8, invalid enum value, out-of-range size, or trailing bytes.</exception>
    public static TdpMessage Decode(ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty)
        {
            throw new DecodeException(Generic, 0, "empty message");
        }
        var type = (TdpMessageType)message[0];
        var r = new SpanReader(message, NameOf(type) ?? throw UnknownType(message[0]));
        r.Skip(1, "message type");
        TdpMessage m = type switch
        {
            TdpMessageType.ClientScreenSpec => ClientScreenSpecMessage.Decode(ref r),
            TdpMessageType.PngFrame => PngFrameMessage.Decode(ref r),
            TdpMessageType.MouseMove => MouseMoveMessage.Decode(ref r),
            TdpMessageType.MouseButton => MouseButtonMessage.Decode(ref r),
            TdpMessageType.KeyboardInput => KeyboardInputMessage.Decode(ref r),
            TdpMessageType.ClipboardData => ClipboardDataMessage.Decode(ref r),
            TdpMessageType.ClientUsername => ClientUsernameMessage.Decode(ref r),
            TdpMessageType.MouseWheel => MouseWheelMessage.Decode(ref r),
            TdpMessageType.Error => ErrorMessage.Decode(ref r),
            TdpMessageType.Mfa => MfaMessage.Decode(ref r),
            TdpMessageType.PngFrame2 => PngFrame2Message.Decode(ref r),
            TdpMessageType.Notification => NotificationMessage.Decode(ref r),
            TdpMessageType.FrameMarker => FrameMarkerMessage.Decode(ref r),
            TdpMessageType.FrameAck => FrameAckMessage.Decode(ref r),
            TdpMessageType.CursorShape => CursorShapeMessage.Decode(ref r),
            TdpMessageType.DesktopSize => DesktopSizeMessage.Decode(ref r),
            TdpMessageType.CopyRect => CopyRectMessage.Decode(ref r),
            TdpMessageType.KeysymInput => KeysymInputMessage.Decode(ref r),
            TdpMessageType.JpegFrame => JpegFrameMessage.Decode(ref r),
            TdpMessageType.ResizeRemote => ResizeRemoteMessage.Decode(ref r),
            TdpMessageType.TerminalOutput => TerminalOutputMessage.Decode(ref r),
            TdpMessageType.TerminalInput => TerminalInputMessage.Decode(ref r),
            TdpMessageType.TerminalResize => TerminalResizeMessage.Decode(ref r),
            TdpMessageType.TerminalAck => TerminalAckMessage.Decode(ref r),
            TdpMessageType.TerminalExit => TerminalExitMessage.Decode(ref r),
            TdpMessageType.TerminalSize => TerminalSizeMessage.Decode(ref r),
            _ => throw UnknownType(message[0]),
        };
        r.EnsureEnd();
        return m;
    }

    /// <summary>
    /// Stream framing: the length of the message at the start of <paramref name="buffer"/>. Returns false
    /// when more bytes are needed to know the length or to hold the whole message. Throws as soon as the
    /// header shows an unknown type or an over-cap length, so nothing more is buffered for it. A PNG frame (2)
    /// carries no length: its end is found by walking the PNG chunks to IEND.
    /// </summary>
    /// <exception cref="DecodeException">Unknown type, over-cap length, or a PNG frame (2) that is not a PNG.</exception>
    public static bool TryGetMessageLength(ReadOnlySpan<byte> buffer, out int length)
    {
        length = 0;
        if (buffer.IsEmpty)
        {
            return false;
        }
        var type = (TdpMessageType)buffer[0];
        var what = NameOf(type) ?? throw UnknownType(buffer[0]);
        int? needed = type switch
        {
            TdpMessageType.ClientScreenSpec => ClientScreenSpecMessage.FixedSize,
            TdpMessageType.PngFrame => PngFrameLength(buffer, what),
            TdpMessageType.MouseMove => MouseMoveMessage.FixedSize,
            TdpMessageType.MouseButton => MouseButtonMessage.FixedSize,
            TdpMessageType.KeyboardInput => KeyboardInputMessage.FixedSize,
            TdpMessageType.ClipboardData => Prefixed(buffer, what, 1, TdpLimits.MaxClipboardBytes, "length", ClipboardDataMessage.HeaderSize),
            TdpMessageType.ClientUsername => Prefixed(buffer, what, 1, TdpLimits.MaxUsernameBytes, "username_length", ClientUsernameMessage.HeaderSize),
            TdpMessageType.MouseWheel => MouseWheelMessage.FixedSize,
            TdpMessageType.Error => Prefixed(buffer, what, 1, TdpLimits.MaxTextBytes, "message_length", ErrorMessage.HeaderSize),
            TdpMessageType.Mfa => Prefixed(buffer, what, 2, TdpLimits.MaxMfaJsonBytes, "length", MfaMessage.HeaderSize),
            TdpMessageType.PngFrame2 => Prefixed(buffer, what, 1, TdpLimits.MaxPngBytes, "png_length", PngFrame2Message.HeaderSize),
            TdpMessageType.Notification => Prefixed(buffer, what, 1, TdpLimits.MaxTextBytes, "message_length", NotificationMessage.FixedOverhead),
            TdpMessageType.FrameMarker => FrameMarkerMessage.FixedSize,
            TdpMessageType.FrameAck => FrameAckMessage.FixedSize,
            TdpMessageType.CursorShape => Prefixed(buffer, what, 9, TdpLimits.MaxCursorBytes, "data_length", CursorShapeMessage.HeaderSize),
            TdpMessageType.DesktopSize => DesktopSizeMessage.FixedSize,
            TdpMessageType.CopyRect => CopyRectMessage.FixedSize,
            TdpMessageType.KeysymInput => KeysymInputMessage.FixedSize,
            TdpMessageType.JpegFrame => Prefixed(buffer, what, 1, TdpLimits.MaxJpegBytes, "jpeg_length", JpegFrameMessage.HeaderSize),
            TdpMessageType.ResizeRemote => ResizeRemoteMessage.FixedSize,
            TdpMessageType.TerminalOutput => Prefixed(buffer, what, 1, TdpLimits.MaxTerminalOutputBytes, "length", TerminalOutputMessage.HeaderSize),
            TdpMessageType.TerminalInput => Prefixed(buffer, what, 1, TdpLimits.MaxTerminalInputBytes, "length", TerminalInputMessage.HeaderSize),
            TdpMessageType.TerminalResize => TerminalResizeMessage.FixedSize,
            TdpMessageType.TerminalAck => TerminalAckMessage.FixedSize,
            TdpMessageType.TerminalExit => TerminalExitMessage.FrameLength(buffer, what),
            TdpMessageType.TerminalSize => TerminalSizeMessage.FixedSize,
            _ => throw UnknownType(buffer[0]),
        };
        if (needed is not { } n || buffer.Length < n)
        {
            return false;
        }
        length = n;
        return true;
    }

    /// <summary>Encodes <paramref name="m"/> into a new array of exactly <see cref="TdpMessage.Size"/> bytes.</summary>
    /// <exception cref="ArgumentException">A field is out of range or over its cap.</exception>
    public static byte[] Encode(TdpMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var bytes = new byte[m.Size];
        Write(m, bytes);
        return bytes;
    }

    /// <summary>Encodes <paramref name="m"/> at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="ArgumentException">A field is out of range or over its cap, or the destination is too small.</exception>
    public static int Encode(TdpMessage m, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(m);
        var size = m.Size;
        if (destination.Length < size)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, the message needs {size}", nameof(destination));
        }
        Write(m, destination[..size]);
        return size;
    }

    /// <summary>The readable name used in decode errors, e.g. "TDP mouse move (3)"; null for an unknown type.</summary>
    public static string? NameOf(TdpMessageType type) => type switch
    {
        TdpMessageType.ClientScreenSpec => "TDP client screen spec (1)",
        TdpMessageType.PngFrame => "TDP PNG frame (2)",
        TdpMessageType.MouseMove => "TDP mouse move (3)",
        TdpMessageType.MouseButton => "TDP mouse button (4)",
        TdpMessageType.KeyboardInput => "TDP keyboard input (5)",
        TdpMessageType.ClipboardData => "TDP clipboard data (6)",
        TdpMessageType.ClientUsername => "TDP client username (7)",
        TdpMessageType.MouseWheel => "TDP mouse wheel (8)",
        TdpMessageType.Error => "TDP error (9)",
        TdpMessageType.Mfa => "TDP MFA (10)",
        TdpMessageType.PngFrame2 => "TDP PNG frame 2 (27)",
        TdpMessageType.Notification => "TDP notification (28)",
        TdpMessageType.FrameMarker => "TDP frame marker (100)",
        TdpMessageType.FrameAck => "TDP frame ack (101)",
        TdpMessageType.CursorShape => "TDP cursor shape (102)",
        TdpMessageType.DesktopSize => "TDP desktop size (103)",
        TdpMessageType.CopyRect => "TDP copy rect (104)",
        TdpMessageType.KeysymInput => "TDP keysym input (105)",
        TdpMessageType.JpegFrame => "TDP JPEG frame (106)",
        TdpMessageType.ResizeRemote => "TDP resize remote (107)",
        TdpMessageType.TerminalOutput => "TDP terminal output (108)",
        TdpMessageType.TerminalInput => "TDP terminal input (109)",
        TdpMessageType.TerminalResize => "TDP terminal resize (110)",
        TdpMessageType.TerminalAck => "TDP terminal ack (111)",
        TdpMessageType.TerminalExit => "TDP terminal exit (112)",
        TdpMessageType.TerminalSize => "TDP terminal size (113)",
        _ => null,
    };

    private static void Write(TdpMessage m, Span<byte> exact)
    {
        var w = new SpanWriter(exact);
        m.Encode(ref w);
        if (w.Position != exact.Length)
        {
            throw new InvalidOperationException($"{m.Type} wrote {w.Position} bytes but its Size is {exact.Length}");
        }
    }

    private static DecodeException UnknownType(byte type) => new(Generic, 0, $"unknown message type {type}");

    /// <summary>Total length of a message whose uint32 length field sits at <paramref name="at"/>; null if not yet known.</summary>
    private static int? Prefixed(ReadOnlySpan<byte> buffer, string what, int at, int cap, string field, int overhead)
    {
        if (buffer.Length < at + 4)
        {
            return null;
        }
        var n = BinaryPrimitives.ReadUInt32BigEndian(buffer[at..]);
        if (n > (uint)cap)
        {
            throw new DecodeException(what, at, $"{field} {n} exceeds the cap of {cap}");
        }
        return overhead + (int)n;
    }

    /// <summary>Length of a PNG frame (2): header, then PNG chunks up to and including IEND; null if not yet known.</summary>
    private static int? PngFrameLength(ReadOnlySpan<byte> buffer, string what)
    {
        const int dataStart = PngFrameMessage.HeaderSize;
        var signature = PngSignature;
        for (var i = 0; i < signature.Length; i++)
        {
            if (buffer.Length <= dataStart + i)
            {
                return null;
            }
            if (buffer[dataStart + i] != signature[i])
            {
                throw new DecodeException(what, dataStart + i, "data does not start with the PNG signature");
            }
        }
        long at = dataStart + signature.Length;
        while (true)
        {
            if (buffer.Length < at + 8)
            {
                return null;
            }
            var chunk = buffer[(int)at..];
            var n = BinaryPrimitives.ReadUInt32BigEndian(chunk);
            var end = at + 12 + n;
            if (n > int.MaxValue || end - dataStart > TdpLimits.MaxPngBytes)
            {
                throw new DecodeException(what, at, $"data exceeds the cap of {TdpLimits.MaxPngBytes}");
            }
            if (chunk[4..8].SequenceEqual("IEND"u8))
            {
                return buffer.Length >= end ? (int)end : null;
            }
            at = end;
        }
    }
}
