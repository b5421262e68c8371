using System.Buffers;
using System.Buffers.Binary;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Rfb.Passthrough;

/// <summary>
/// Follows the client-to-server half of a relayed RFB session ([RFC 6143] 7.1-7.5, plus the rfbproto
/// client messages a stock noVNC sends) and rewrites one thing: SetEncodings (7.5.2) loses every
/// encoding and pseudo-encoding that <c>Oriel.Rfb</c> cannot replay (<see cref="IsReplayable"/>), so
/// that the recorded session can always be rebuilt by <c>RfbStreamObserver</c>, and, for a target the operator
/// made lossless (<see cref="Lossless"/>), also the JPEG quality levels, so that the server sends no JPEG. Every other byte passes
/// through unchanged and as soon as it arrives: a message is framed from its header, then its body is
/// streamed, never buffered. Only an incomplete header and a SetEncodings message (at most
/// <see cref="MaxEncodings"/> entries) are held back until complete.
/// <para>
/// The filter also needs two facts from the server's stream: nothing but the server's ProtocolVersion
/// and, for version 3.3 where the server picks, its security type (<see cref="ObserveServer"/>). A
/// security type other than None or VNC Authentication (VeNCrypt/TLS, Tight, RA2, ...) makes the rest
/// of the stream opaque: the filter stops framing and rewriting (<see cref="IsFollowing"/> false,
/// <see cref="StoppedReason"/> says why) and passes everything through.
/// </para>
/// <para>Malformed client bytes raise <see cref="DecodeException"/> with the stream offset. No I/O, no clock; not thread-safe.</para>
/// </summary>
public sealed class RfbClientStreamFilter
{
    /// <summary>Most entries accepted in one SetEncodings; real viewers send fewer than 40.</summary>
    public const int MaxEncodings = 1024;

    /// <summary>rfbproto "EnableContinuousUpdates": type, enable-flag, x, y, width, height.</summary>
    private const byte EnableContinuousUpdatesMessageType = 150;

    /// <summary>rfbproto "ClientFence": type, padding 3, flags u32, length u8, payload.</summary>
    private const byte FenceMessageType = 248;

    /// <summary>rfbproto "xvp Client Message": type, padding, version, code.</summary>
    private const byte XvpMessageType = 250;

    /// <summary>rfbproto "QEMU Client Message": type, submessage-type, then by submessage.</summary>
    private const byte QemuClientMessageType = 255;

    private enum Phase
    {
        ProtocolVersion,
        SecuritySelection,
        VncResponse,
        ClientInit,
        Normal,
        Opaque,
    }

    private readonly int _maxClipboardBytes;
    private Phase _phase = Phase.ProtocolVersion;
    private byte[] _pending = new byte[64];
    private int _pendingLength;
    private long _passthroughLeft;
    private ProtocolVersionMessage? _clientVersion;
    private int _serverBytesSeen;
    private readonly byte[] _serverHead = new byte[ProtocolVersionMessage.Length + 4];
    private uint? _serverChosenType;
    private long _position;

    /// <summary>Most bytes a 3.3 client may send before the server has chosen the security type.</summary>
    private const int MaxEarlyBytes = 64;

    /// <param name="maxClipboardBytes">Largest ClientCutText body followed; larger is a <see cref="DecodeException"/> (the replay observer's cap).</param>
    /// <param name="lossless">Also drop the JPEG quality levels the client asks for (<see cref="Lossless"/>).</param>
    public RfbClientStreamFilter(int maxClipboardBytes = 16 * 1024 * 1024, bool lossless = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxClipboardBytes);
        _maxClipboardBytes = maxClipboardBytes;
        Lossless = lossless;
    }

    /// <summary>
    /// True when the JPEG quality-level pseudo-encodings (-32..-23) are dropped whatever the client asks for: a
    /// server then has no quality to encode JPEG at (TigerVNC and libvncserver send Tight JpegCompression only
    /// after one), so the viewer gets exact pixels. False honours the client's choice (noVNC asks for quality 6).
    /// </summary>
    public bool Lossless { get; }

    /// <summary>True when a SetEncodings entry goes on to the server: <see cref="IsReplayable"/>, and not a JPEG quality level when <see cref="Lossless"/>.</summary>
    public bool Forwards(int encoding) =>
        IsReplayable(encoding) && !(Lossless && encoding is >= RfbEncodingType.QualityLevel0 and <= RfbEncodingType.QualityLevel9);

    /// <summary>True while the filter frames the stream; false once an opaque security type was chosen.</summary>
    public bool IsFollowing => _phase != Phase.Opaque;

    /// <summary>Why the filter stopped following, or null.</summary>
    public string? StoppedReason { get; private set; }

    /// <summary>The security type in use once known.</summary>
    public uint? SecurityType { get; private set; }

    /// <summary>True once ClientInit has passed: the client is in the normal phase.</summary>
    public bool InNormalPhase => _phase == Phase.Normal;

    /// <summary>Client bytes taken in so far.</summary>
    public long BytesIn { get; private set; }

    /// <summary>Bytes handed on so far (differs from <see cref="BytesIn"/> by rewrites and held bytes).</summary>
    public long BytesOut { get; private set; }

    /// <summary>SetEncodings messages that lost at least one entry.</summary>
    public int Rewrites { get; private set; }

    /// <summary>The client's last SetEncodings list as it sent it.</summary>
    public IReadOnlyList<int> RequestedEncodings { get; private set; } = [];

    /// <summary>The last SetEncodings list as forwarded to the server.</summary>
    public IReadOnlyList<int> ForwardedEncodings { get; private set; } = [];

    /// <summary>
    /// True for the encodings and pseudo-encodings whose server answers <c>Oriel.Rfb</c> decodes: Raw,
    /// CopyRect, RRE, Hextile, Tight (with its JpegCompression), TRLE, ZRLE, the compression levels,
    /// the JPEG quality levels (-32..-23: the replay then needs a JPEG codec from the host, see
    /// <see cref="Oriel.Graphics.Jpeg.IJpegLibrary"/>; a host without one makes the filter
    /// <see cref="Lossless"/> so the server sends Tight without JPEG), and the pseudo-encodings DesktopSize, LastRect, Cursor,
    /// ExtendedDesktopSize, DesktopName, Fence, ContinuousUpdates, ExtendedClipboard, QEMU extended key
    /// event, QEMU LED state, xvp and the VMware cursor. Everything else is dropped, including TightPNG
    /// (-260), JPEG (21), H.264 (50), ZlibHex (8), Zlib (6), XCursor (-240), TigerVNC's fine quality
    /// and subsampling levels (-512..-412, -768..-763) and ExtendedMouseButtons (-316: once the server
    /// accepts it a PointerEvent's length depends on the server's stream, which this filter does not parse).
    /// </summary>
    public static bool IsReplayable(int encoding) => encoding switch
    {
        RfbEncodingType.Raw or RfbEncodingType.CopyRect or RfbEncodingType.Rre or RfbEncodingType.Hextile
            or RfbEncodingType.Tight or RfbEncodingType.Trle or RfbEncodingType.Zrle => true,
        >= RfbEncodingType.CompressLevel0 and <= RfbEncodingType.CompressLevel9 => true,
        >= RfbEncodingType.QualityLevel0 and <= RfbEncodingType.QualityLevel9 => true,
        RfbEncodingType.DesktopSize or RfbEncodingType.LastRect or RfbEncodingType.Cursor
            or RfbEncodingType.ExtendedDesktopSize or RfbEncodingType.Fence or RfbEncodingType.ContinuousUpdates
            or RfbEncodingType.ExtendedClipboard => true,
        RfbClient.DesktopNamePseudoEncoding => true,
        RfbServerMessageProcessor.QemuExtendedKeyEventPseudoEncoding or RfbServerMessageProcessor.QemuLedStatePseudoEncoding
            or RfbServerMessageProcessor.VMwareCursorPseudoEncoding => true,
        XvpPseudoEncoding => true,
        _ => false,
    };

    /// <summary>rfbproto "xvp Pseudo-encoding".</summary>
    public const int XvpPseudoEncoding = -309;

    /// <summary>
    /// Takes server-to-client bytes (any chunking, in order) before they reach the client. Only the
    /// first 16 bytes matter (ProtocolVersion, then the 3.3 security type); the rest is ignored.
    /// </summary>
    public void ObserveServer(ReadOnlySpan<byte> data)
    {
        var room = _serverHead.Length - _serverBytesSeen;
        if (room <= 0) return;
        var n = Math.Min(room, data.Length);
        data[..n].CopyTo(_serverHead.AsSpan(_serverBytesSeen));
        _serverBytesSeen += n;
        if (_serverBytesSeen == _serverHead.Length)
        {
            _serverChosenType = BinaryPrimitives.ReadUInt32BigEndian(_serverHead.AsSpan(ProtocolVersionMessage.Length));
        }
    }

    /// <summary>
    /// Takes client-to-server bytes (any chunking, in order) and appends what to send to the server to
    /// <paramref name="output"/>.
    /// </summary>
    public void Filter(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        BytesIn += data.Length;
        while (true)
        {
            if (_passthroughLeft > 0 && !data.IsEmpty)
            {
                // A body whose framing is known: stream it on.
                var n = (int)Math.Min(_passthroughLeft, data.Length);
                Emit(data[..n], output);
                _passthroughLeft -= n;
                _position += n;
                data = data[n..];
                continue;
            }
            if (_phase == Phase.Opaque)
            {
                if (_pendingLength > 0)
                {
                    Emit(_pending.AsSpan(0, _pendingLength), output);
                    _pendingLength = 0;
                }
                Emit(data, output);
                return;
            }
            if (_pendingLength > 0)
            {
                // Complete the held unit first, taking only the bytes it says it needs.
                var consumed = Step(_pending.AsSpan(0, _pendingLength), output, out var needed);
                if (consumed > 0)
                {
                    _position += consumed;
                    _pending.AsSpan(consumed, _pendingLength - consumed).CopyTo(_pending);
                    _pendingLength -= consumed;
                    continue;
                }
                if (data.IsEmpty) return;
                var take = Math.Min(needed - _pendingLength, data.Length);
                Hold(data[..take]);
                data = data[take..];
                continue;
            }
            if (data.IsEmpty) return;
            var used = Step(data, output, out _);
            if (used == 0)
            {
                Hold(data);
                return;
            }
            _position += used;
            data = data[used..];
        }
    }

    private void Emit(ReadOnlySpan<byte> bytes, IBufferWriter<byte> output)
    {
        if (bytes.IsEmpty) return;
        output.Write(bytes);
        BytesOut += bytes.Length;
    }

    private void Hold(ReadOnlySpan<byte> bytes)
    {
        if (_pendingLength + bytes.Length > _pending.Length)
        {
            var bigger = new byte[Math.Max(_pending.Length * 2, _pendingLength + bytes.Length)];
            _pending.AsSpan(0, _pendingLength).CopyTo(bigger);
            _pending = bigger;
        }
        bytes.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += bytes.Length;
    }

    /// <summary>
    /// One unit at the start of <paramref name="input"/>: returns the bytes consumed (emitted, or
    /// emitted with the rest of the body left to <see cref="_passthroughLeft"/>), or 0 with the total
    /// bytes <paramref name="needed"/> before it can decide.
    /// </summary>
    private int Step(ReadOnlySpan<byte> input, IBufferWriter<byte> output, out int needed)
    {
        try
        {
            return StepCore(input, output, out needed);
        }
        catch (DecodeException e)
        {
            throw new DecodeException(e.What, _position + Math.Max(e.Offset, 0), $"{e.Why} (client-to-server stream)");
        }
    }

    private int StepCore(ReadOnlySpan<byte> input, IBufferWriter<byte> output, out int needed)
    {
        needed = 0;
        {
            switch (_phase)
            {
                case Phase.ProtocolVersion:
                {
                    if (input.Length < ProtocolVersionMessage.Length)
                    {
                        needed = ProtocolVersionMessage.Length;
                        return 0;
                    }
                    var r = new SpanReader(input[..ProtocolVersionMessage.Length], "ProtocolVersion");
                    _clientVersion = ProtocolVersionMessage.Decode(ref r).Negotiate();
                    Emit(input[..ProtocolVersionMessage.Length], output);
                    _phase = Phase.SecuritySelection;
                    return ProtocolVersionMessage.Length;
                }

                case Phase.SecuritySelection:
                {
                    if (_clientVersion == ProtocolVersionMessage.V33)
                    {
                        // The server chose; the client sends nothing for it.
                        if (_serverChosenType is null)
                        {
                            if (input.Length >= MaxEarlyBytes) throw new DecodeException("security", 0, "the client sent data before the server chose a security type");
                            needed = input.Length + 1;
                            return 0;
                        }
                        ChooseSecurity(_serverChosenType.Value);
                        return StepAfterSecurity(input, output, out needed);
                    }
                    ChooseSecurity(input[0]);
                    Emit(input[..1], output);
                    return 1;
                }

                case Phase.VncResponse:
                    Emit(input[..1], output);
                    _passthroughLeft = VncAuthentication.ChallengeLength - 1;
                    _phase = Phase.ClientInit;
                    return 1;

                case Phase.ClientInit:
                    Emit(input[..1], output);
                    _phase = Phase.Normal;
                    return 1;

                case Phase.Normal:
                    return StepMessage(input, output, out needed);

                default:
                    return 0;
            }
        }
    }

    /// <summary>3.3: the security phase consumed nothing; go on with the next unit in the same bytes.</summary>
    private int StepAfterSecurity(ReadOnlySpan<byte> input, IBufferWriter<byte> output, out int needed)
    {
        needed = 0;
        if (_phase == Phase.Opaque)
        {
            Emit(input, output);
            return input.Length;
        }
        return StepCore(input, output, out needed);
    }

    private void ChooseSecurity(uint type)
    {
        SecurityType = type;
        switch (type)
        {
            case RfbSecurityType.None:
                _phase = Phase.ClientInit;
                break;
            case RfbSecurityType.VncAuthentication:
                _phase = Phase.VncResponse;
                break;
            default:
                _phase = Phase.Opaque;
                StoppedReason = type == RfbSecurityType.Invalid
                    ? "the server refused the connection"
                    : $"security type {type} hides or reshapes the stream; SetEncodings is no longer rewritten and the recording cannot be replayed";
                break;
        }
    }

    private int StepMessage(ReadOnlySpan<byte> input, IBufferWriter<byte> output, out int needed)
    {
        needed = 0;
        var type = input[0];
        if (type == RfbMessageType.SetEncodings)
        {
            if (input.Length < 4)
            {
                needed = 4;
                return 0;
            }
            var count = BinaryPrimitives.ReadUInt16BigEndian(input[2..]);
            if (count > MaxEncodings) throw new DecodeException("SetEncodings", 2, $"{count} encodings exceed the cap of {MaxEncodings}");
            var length = 4 + (4 * count);
            if (input.Length < length)
            {
                needed = length;
                return 0;
            }
            RewriteEncodings(input[..length], output);
            return length;
        }

        var header = HeaderLength(type);
        if (input.Length < header)
        {
            needed = header;
            return 0;
        }
        var total = MessageLength(input, type);
        var now = (int)Math.Min(total, input.Length);
        Emit(input[..now], output);
        _passthroughLeft = total - now;
        return now;
    }

    /// <summary>Bytes needed to know a message's length.</summary>
    private static int HeaderLength(byte type) => type switch
    {
        RfbMessageType.ClientCutText => ClientCutTextMessage.HeaderLength,
        FenceMessageType => 9,
        RfbMessageType.SetDesktopSize => 8,
        QemuClientMessageType => 2,
        _ => 1,
    };

    private long MessageLength(ReadOnlySpan<byte> input, byte type)
    {
        switch (type)
        {
            case RfbMessageType.SetPixelFormat: return SetPixelFormatMessage.Length;
            case RfbMessageType.FramebufferUpdateRequest: return FramebufferUpdateRequestMessage.Length;
            case RfbMessageType.KeyEvent: return KeyEventMessage.Length;
            case RfbMessageType.PointerEvent: return PointerEventMessage.Length;
            case RfbMessageType.ClientCutText:
                return ClientCutTextMessage.HeaderLength + CutText.BodyLength(BinaryPrimitives.ReadInt32BigEndian(input[4..]), _maxClipboardBytes, "ClientCutText");
            case EnableContinuousUpdatesMessageType: return 10;
            case FenceMessageType:
            {
                var payload = input[8];
                if (payload > RfbServerMessageProcessor.MaxFencePayload) throw new DecodeException("Fence", 8, $"payload length {payload} exceeds the cap of {RfbServerMessageProcessor.MaxFencePayload}");
                return 9 + payload;
            }
            case XvpMessageType: return 4;
            case RfbMessageType.SetDesktopSize: return 8 + (DesktopScreen.Size * input[6]);
            case QemuClientMessageType:
                return input[1] switch
                {
                    0 => 12, // extended key event: down-flag u16, keysym u32, keycode u32
                    _ => throw new DecodeException("QEMU client message", 1, $"submessage type {input[1]} is not one the gateway can frame"),
                };
            default:
                throw new DecodeException("client message", 0, $"unknown message type {type}");
        }
    }

    private void RewriteEncodings(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        var r = new SpanReader(message, "SetEncodings");
        var requested = SetEncodingsMessage.Decode(ref r).Encodings;
        var kept = requested.Where(Forwards).ToArray();
        RequestedEncodings = requested;
        ForwardedEncodings = kept;
        if (kept.Length == requested.Count)
        {
            Emit(message, output);
            return;
        }
        Rewrites++;
        var rewritten = new SetEncodingsMessage(kept);
        var buffer = output.GetSpan(rewritten.Size);
        var w = new SpanWriter(buffer);
        rewritten.Encode(ref w);
        output.Advance(rewritten.Size);
        BytesOut += rewritten.Size;
    }
}
