using System.Buffers.Binary;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Rfb.Replay;

/// <summary>
/// The client-to-server side: ProtocolVersion, the security choice, the VNC Authentication response
/// (skipped), ClientInit, then client messages ([RFC 6143] 7.5 and the rfbproto extensions noVNC
/// sends). Each is framed exactly, since one wrong length would lose the stream; SetPixelFormat and
/// SetEncodings are decoded, the rest skipped unread.
/// </summary>
public sealed partial class RfbStreamObserver
{
    private enum ClientPhase
    {
        ProtocolVersion,
        SecuritySelection,
        VncResponse,
        ClientInit,
        Normal,
        Closed,
    }

    /// <summary>rfbproto "EnableContinuousUpdates": type, enable-flag, x, y, width, height.</summary>
    private const byte EnableContinuousUpdatesMessageType = 150;

    /// <summary>rfbproto "QEMU Client Message": type, submessage-type, then by submessage.</summary>
    private const byte QemuClientMessageType = 255;

    private ClientPhase _clientPhase = ClientPhase.ProtocolVersion;

    private bool StepClient(ReadOnlySpan<byte> input, out int consumed)
    {
        try
        {
            return StepClientUnit(input, out consumed);
        }
        catch (DecodeException e)
        {
            throw InStream(e, ClientBytesProcessed, "client-to-server");
        }
    }

    private bool StepClientUnit(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        switch (_clientPhase)
        {
            case ClientPhase.ProtocolVersion:
            {
                if (input.Length < ProtocolVersionMessage.Length) return false;
                var r = new SpanReader(input[..ProtocolVersionMessage.Length], "ProtocolVersion");
                Version = ProtocolVersionMessage.Decode(ref r).Negotiate();
                consumed = ProtocolVersionMessage.Length;
                _clientPhase = ClientPhase.SecuritySelection;
                return true;
            }

            case ClientPhase.SecuritySelection:
            {
                if (IsV37)
                {
                    if (input.IsEmpty) return false;
                    var r = new SpanReader(input[..1], "SecurityTypeSelection");
                    var type = SecurityTypeSelectionMessage.Decode(ref r).Type;
                    consumed = 1;
                    CheckReplayable(type);
                    SecurityType = type;
                }
                else if (SecurityType is null)
                {
                    return false; // 3.3: the server decides, the client says nothing
                }
                _clientPhase = SecurityType == RfbSecurityType.VncAuthentication ? ClientPhase.VncResponse : ClientPhase.ClientInit;
                return true;
            }

            case ClientPhase.VncResponse:
                if (input.Length < VncAuthentication.ChallengeLength) return false;
                consumed = VncAuthentication.ChallengeLength;
                _clientPhase = ClientPhase.ClientInit;
                return true;

            case ClientPhase.ClientInit:
            {
                if (input.IsEmpty) return false;
                var r = new SpanReader(input[..1], "ClientInit");
                Shared = ClientInitMessage.Decode(ref r).Shared;
                consumed = 1;
                _clientPhase = ClientPhase.Normal;
                return true;
            }

            case ClientPhase.Normal:
                return StepClientMessage(input, out consumed);

            default:
                return false;
        }
    }

    private bool StepClientMessage(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        if (input.IsEmpty) return false;
        if (!TryFrameClientMessage(input, out var length)) return false;
        var message = input[..length];
        switch (input[0])
        {
            case RfbMessageType.SetPixelFormat:
            {
                var r = new SpanReader(message, "SetPixelFormat");
                _pendingPixelFormat = SetPixelFormatMessage.Decode(ref r).PixelFormat;
                break;
            }
            case RfbMessageType.SetEncodings:
            {
                var r = new SpanReader(message, "SetEncodings");
                Encodings = SetEncodingsMessage.Decode(ref r).Encodings;
                break;
            }
        }
        consumed = length;
        return true;
    }

    /// <summary>The length of the client message at the start of <paramref name="input"/>; false when more bytes are needed to know it or to have it all.</summary>
    private bool TryFrameClientMessage(ReadOnlySpan<byte> input, out int length)
    {
        length = 0;
        switch (input[0])
        {
            case RfbMessageType.SetPixelFormat:
                length = SetPixelFormatMessage.Length;
                break;
            case RfbMessageType.SetEncodings:
                if (input.Length < 4) return false;
                length = 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(input[2..]));
                break;
            case RfbMessageType.FramebufferUpdateRequest:
                length = FramebufferUpdateRequestMessage.Length;
                break;
            case RfbMessageType.KeyEvent:
                length = KeyEventMessage.Length;
                break;
            case RfbMessageType.PointerEvent:
                // With extended mouse buttons announced, bit 7 of the mask says a second mask byte follows.
                if (input.Length < 2) return false;
                length = PointerEventMessage.Length + (_processor is { ServerSupportsExtendedMouseButtons: true } && (input[1] & 0x80) != 0 ? 1 : 0);
                break;
            case RfbMessageType.ClientCutText:
                if (input.Length < ClientCutTextMessage.HeaderLength) return false;
                length = ClientCutTextMessage.HeaderLength + CutText.BodyLength(BinaryPrimitives.ReadInt32BigEndian(input[4..]), _options.MaxClipboardBytes, "ClientCutText");
                break;
            case EnableContinuousUpdatesMessageType:
                length = 10;
                break;
            case RfbServerMessageProcessor.FenceMessageType:
            {
                if (input.Length < 9) return false;
                var payload = input[8];
                if (payload > RfbServerMessageProcessor.MaxFencePayload) throw new DecodeException("Fence", 8, $"payload length {payload} exceeds the cap of {RfbServerMessageProcessor.MaxFencePayload}");
                length = 9 + payload;
                break;
            }
            case RfbServerMessageProcessor.XvpMessageType:
                length = 4;
                break;
            case RfbMessageType.SetDesktopSize:
                if (input.Length < 8) return false;
                length = 8 + (DesktopScreen.Size * input[6]);
                break;
            case QemuClientMessageType:
                if (input.Length < 2) return false;
                switch (input[1])
                {
                    case 0: // extended key event: down-flag u16, keysym u32, keycode u32
                        length = 12;
                        break;
                    case 1: // audio: operation u16; 2 = set format (sample-format u8, channels u8, frequency u32)
                        if (input.Length < 4) return false;
                        length = BinaryPrimitives.ReadUInt16BigEndian(input[2..]) == 2 ? 10 : 4;
                        break;
                    default:
                        throw new DecodeException("QEMU client message", 1, $"unknown submessage type {input[1]}");
                }
                break;
            default:
                throw new DecodeException("client message", 0, $"unknown message type {input[0]}");
        }
        return input.Length >= length;
    }
}
