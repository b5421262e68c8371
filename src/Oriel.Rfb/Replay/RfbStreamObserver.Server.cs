using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Rfb.Replay;

/// <summary>The server-to-client side: handshake ([RFC 6143] 7.1-7.3), then normal messages (7.6) through the engine's processor.</summary>
public sealed partial class RfbStreamObserver
{
    private enum ServerPhase
    {
        ProtocolVersion,
        SecurityOffer,
        AwaitChoice,
        VncChallenge,
        SecurityResult,
        ServerInit,
        Normal,
        Closed,
    }

    private ServerPhase _serverPhase = ServerPhase.ProtocolVersion;
    private RfbServerMessageProcessor? _processor;
    private PixelFormat? _pendingPixelFormat;

    private bool IsV37 => Version is { Minor: >= 7 } or { Major: > 3 };

    private bool IsV38 => Version is { Minor: >= 8 } or { Major: > 3 };

    private bool StepServer(ReadOnlySpan<byte> input, out int consumed)
    {
        try
        {
            return StepServerUnit(input, out consumed);
        }
        catch (DecodeException e)
        {
            throw InStream(e, ServerBytesProcessed, "server-to-client");
        }
    }

    private bool StepServerUnit(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        switch (_serverPhase)
        {
            case ServerPhase.ProtocolVersion:
            {
                if (input.Length < ProtocolVersionMessage.Length) return false;
                var r = new SpanReader(input[..ProtocolVersionMessage.Length], "ProtocolVersion");
                ServerVersion = ProtocolVersionMessage.Decode(ref r);
                consumed = ProtocolVersionMessage.Length;
                _serverPhase = ServerPhase.SecurityOffer;
                return true;
            }

            case ServerPhase.SecurityOffer:
            {
                if (Version is null) return false; // the offer's shape depends on the client's version
                if (!IsV37)
                {
                    if (!SecurityTypeMessage.TryFrame(input, out var len33)) return false;
                    var r33 = new SpanReader(input[..len33], "SecurityType");
                    var chosen = SecurityTypeMessage.Decode(ref r33);
                    consumed = len33;
                    if (chosen.FailureReason is not null)
                    {
                        Fail(chosen.FailureReason);
                        return true;
                    }
                    SecurityType = chosen.Type;
                    CheckReplayable(chosen.Type);
                    _serverPhase = ServerPhase.AwaitChoice;
                    return true;
                }
                if (!SecurityTypesMessage.TryFrame(input, out var len)) return false;
                var r = new SpanReader(input[..len], "SecurityTypes");
                var offer = SecurityTypesMessage.Decode(ref r);
                consumed = len;
                if (offer.FailureReason is not null)
                {
                    Fail(offer.FailureReason);
                    return true;
                }
                _serverPhase = ServerPhase.AwaitChoice;
                return true;
            }

            case ServerPhase.AwaitChoice:
                if (SecurityType is not { } type) return false;
                _serverPhase = type switch
                {
                    RfbSecurityType.VncAuthentication => ServerPhase.VncChallenge,
                    _ when IsV38 => ServerPhase.SecurityResult,
                    _ => ServerPhase.ServerInit, // None before 3.8: no SecurityResult ([RFC 6143] 7.2.1)
                };
                return true;

            case ServerPhase.VncChallenge:
                if (input.Length < VncAuthentication.ChallengeLength) return false;
                consumed = VncAuthentication.ChallengeLength;
                _serverPhase = ServerPhase.SecurityResult;
                return true;

            case ServerPhase.SecurityResult:
            {
                if (!SecurityResultMessage.TryFrame(input, IsV38, out var len)) return false;
                var r = new SpanReader(input[..len], "SecurityResult");
                var result = SecurityResultMessage.Decode(ref r, IsV38);
                consumed = len;
                if (result.Status == SecurityResultMessage.Ok)
                {
                    _serverPhase = ServerPhase.ServerInit;
                }
                else
                {
                    Fail(result.Reason ?? (result.Status == SecurityResultMessage.TooManyAttempts ? "too many authentication attempts" : "authentication failed"));
                }
                return true;
            }

            case ServerPhase.ServerInit:
            {
                if (!ServerInitMessage.TryFrame(input, out var len)) return false;
                var r = new SpanReader(input[..len], "ServerInit");
                var init = ServerInitMessage.Decode(ref r);
                consumed = len;
                ServerPixelFormat = init.PixelFormat;
                var fb = new Graphics.Framebuffer(init.Width, init.Height);
                _processor = new RfbServerMessageProcessor(fb, new PixelConverter(init.PixelFormat), _sink, init.Name,
                    _options.MaxClipboardBytes, Emit, OnServerCutText, passthroughExtensions: true, jpeg: _options.Jpeg);
                _serverPhase = ServerPhase.Normal;
                Emit(new RfbConnected(init.Name, init.Width, init.Height));
                return true;
            }

            case ServerPhase.Normal:
            {
                var processor = _processor!;
                if (!processor.InUpdate && _pendingPixelFormat is { } format)
                {
                    // SetPixelFormat applies from the next message the server sends after it.
                    processor.Pixels = new PixelConverter(format);
                    _pendingPixelFormat = null;
                }
                return processor.Step(input, out consumed);
            }

            default:
                return false;
        }
    }

    private void Fail(string reason)
    {
        FailureReason = reason;
        _serverPhase = ServerPhase.Closed;
    }

    private void OnServerCutText(ServerCutTextMessage message)
    {
        if (message.TextString is { } text) Emit(new RfbClipboardText(text));
    }

    /// <summary>Only the security types that leave the stream in the clear can be replayed.</summary>
    private static void CheckReplayable(uint type)
    {
        switch (type)
        {
            case RfbSecurityType.None:
            case RfbSecurityType.VncAuthentication:
                return;
            case RfbSecurityType.VeNCrypt:
                throw new RfbReplayUnsupportedException("the session used VeNCrypt (security type 19), which runs TLS over the recorded bytes; it cannot be replayed from them");
            default:
                throw new RfbReplayUnsupportedException($"the session used security type {type}, which this replay does not follow (only None and VNC Authentication leave the stream readable)");
        }
    }
}
