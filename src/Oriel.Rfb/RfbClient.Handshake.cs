using Oriel.Graphics;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Rfb;

/// <summary>Handshake: ProtocolVersion, Security, VNC Authentication, VeNCrypt, SecurityResult, ClientInit/ServerInit ([RFC 6143] 7.1-7.3).</summary>
public sealed partial class RfbClient
{
    /// <summary>The security type in effect (a VeNCrypt subtype number after VeNCrypt negotiation).</summary>
    private uint _securityType;

    /// <summary>
    /// The driver finished the TLS handshake asked for by <see cref="RfbTlsRequired"/>; the engine
    /// continues the VeNCrypt subtype's authentication and processes any buffered bytes.
    /// </summary>
    public void TlsEstablished()
    {
        if (Phase != RfbPhase.TlsHandshake) throw new InvalidOperationException($"no TLS handshake was requested (phase {Phase})");
        switch ((RfbVeNCryptSubtype)_securityType)
        {
            case RfbVeNCryptSubtype.TlsVnc or RfbVeNCryptSubtype.X509Vnc:
                Phase = RfbPhase.VncAuthentication;
                break;
            case RfbVeNCryptSubtype.TlsPlain or RfbVeNCryptSubtype.X509Plain:
                SendPlain();
                Phase = RfbPhase.SecurityResult;
                break;
            default:
                Phase = RfbPhase.SecurityResult;
                break;
        }
        Pump();
    }

    private bool IsV38 => Version is { Minor: >= 8 } or { Major: > 3 };

    private bool StepProtocolVersion(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        if (input.Length < ProtocolVersionMessage.Length) return false;
        var r = new SpanReader(input[..ProtocolVersionMessage.Length], "ProtocolVersion");
        var version = ProtocolVersionMessage.Decode(ref r).Negotiate();
        Version = version;
        Send(version);
        Phase = RfbPhase.Security;
        consumed = ProtocolVersionMessage.Length;
        return true;
    }

    private bool StepSecurity(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        if (Version == ProtocolVersionMessage.V33)
        {
            if (!SecurityTypeMessage.TryFrame(input, out var len33)) return false;
            var r33 = new SpanReader(input[..len33], "SecurityType");
            var chosen = SecurityTypeMessage.Decode(ref r33);
            if (chosen.FailureReason is not null) throw new RfbSecurityException(RfbSecurityFailure.ConnectionFailed, chosen.FailureReason);
            consumed = len33;
            if (chosen.Type is not (RfbSecurityType.None or RfbSecurityType.VncAuthentication))
            {
                throw new DecodeException("SecurityType", 0, $"a version 3.3 server chose security type {chosen.Type}, not 1 or 2");
            }
            var type = (byte)chosen.Type;
            if (!Acceptable(type))
            {
                if (type == RfbSecurityType.VncAuthentication && Allows(RfbSecurityPolicy.VncAuthentication))
                {
                    throw new RfbSecurityException(RfbSecurityFailure.MissingCredentials, "the server requires VNC Authentication and no password is configured");
                }
                throw new RfbSecurityException(RfbSecurityFailure.NoAcceptableSecurityType, $"the server requires security type {type}, which the policy does not allow");
            }
            StartSecurity(type);
            return true;
        }

        if (!SecurityTypesMessage.TryFrame(input, out var len)) return false;
        var r = new SpanReader(input[..len], "SecurityTypes");
        var offer = SecurityTypesMessage.Decode(ref r);
        if (offer.FailureReason is not null) throw new RfbSecurityException(RfbSecurityFailure.ConnectionFailed, offer.FailureReason);
        consumed = len;
        var pick = ChooseSecurityType(offer.Types);
        Send(new SecurityTypeSelectionMessage(pick));
        StartSecurity(pick);
        return true;
    }

    private void StartSecurity(byte type)
    {
        _securityType = type;
        switch (type)
        {
            case RfbSecurityType.None:
                AfterNoAuthentication();
                break;
            case RfbSecurityType.VncAuthentication:
                Phase = RfbPhase.VncAuthentication;
                break;
            default:
                Phase = RfbPhase.VeNCryptVersion;
                break;
        }
    }

    /// <summary>None: 3.8 still sends SecurityResult, 3.3 and 3.7 go straight to initialisation ([RFC 6143] 7.2.1).</summary>
    private void AfterNoAuthentication()
    {
        if (IsV38)
        {
            Phase = RfbPhase.SecurityResult;
        }
        else
        {
            SendClientInit();
        }
    }

    private bool Allows(RfbSecurityPolicy flag) => (_options.Security & flag) != 0;

    private bool Acceptable(byte type) => type switch
    {
        RfbSecurityType.None => Allows(RfbSecurityPolicy.NoAuthentication),
        RfbSecurityType.VncAuthentication => Allows(RfbSecurityPolicy.VncAuthentication) && _options.Password is not null,
        RfbSecurityType.VeNCrypt => Allows(RfbSecurityPolicy.AnyTls | RfbSecurityPolicy.Plain),
        _ => false,
    };

    private byte ChooseSecurityType(IReadOnlyList<byte> offered)
    {
        ReadOnlySpan<byte> preference = [RfbSecurityType.VeNCrypt, RfbSecurityType.VncAuthentication, RfbSecurityType.None];
        foreach (var t in preference)
        {
            if (offered.Contains(t) && Acceptable(t)) return t;
        }
        if (offered.Contains(RfbSecurityType.VncAuthentication) && Allows(RfbSecurityPolicy.VncAuthentication))
        {
            throw new RfbSecurityException(RfbSecurityFailure.MissingCredentials, "the server requires VNC Authentication and no password is configured");
        }
        throw new RfbSecurityException(RfbSecurityFailure.NoAcceptableSecurityType,
            $"the server offers security types [{string.Join(", ", offered)}]; the policy allows {_options.Security}");
    }

    private bool StepVncAuthentication(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        if (input.Length < VncAuthentication.ChallengeLength) return false;
        var password = _options.Password
            ?? throw new RfbSecurityException(RfbSecurityFailure.MissingCredentials, "VNC Authentication needs a password and none is configured");
        var response = VncAuthentication.ComputeResponse(input[..VncAuthentication.ChallengeLength], password);
        Send(new VncAuthenticationResponseMessage(response));
        Array.Clear(response);
        consumed = VncAuthentication.ChallengeLength;
        Phase = RfbPhase.SecurityResult;
        return true;
    }

    private bool StepVeNCryptVersion(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        if (input.Length < VeNCryptVersionMessage.Length) return false;
        var r = new SpanReader(input[..VeNCryptVersionMessage.Length], "VeNCrypt version");
        var server = VeNCryptVersionMessage.Decode(ref r);
        if (!server.Supports02)
        {
            throw new RfbSecurityException(RfbSecurityFailure.VeNCryptFailed, $"the server offers VeNCrypt {server.Major}.{server.Minor}; 0.2 is required");
        }
        Send(VeNCryptVersionMessage.V02);
        consumed = VeNCryptVersionMessage.Length;
        Phase = RfbPhase.VeNCryptVersionAck;
        return true;
    }

    private bool StepVeNCryptVersionAck(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        if (input.Length < 1) return false;
        if (input[0] != 0) throw new RfbSecurityException(RfbSecurityFailure.VeNCryptFailed, "the server refused VeNCrypt version 0.2");
        consumed = 1;
        Phase = RfbPhase.VeNCryptSubtypes;
        return true;
    }

    private bool StepVeNCryptSubtypes(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        if (!VeNCryptSubtypesMessage.TryFrame(input, out var len)) return false;
        var r = new SpanReader(input[..len], "VeNCrypt subtypes");
        var offer = VeNCryptSubtypesMessage.Decode(ref r);
        consumed = len;
        var pick = ChooseVeNCryptSubtype(offer.Subtypes);
        Send(new VeNCryptSubtypeSelectionMessage(pick));
        _securityType = pick;
        switch (pick)
        {
            case RfbSecurityType.None:
                AfterNoAuthentication();
                break;
            case RfbSecurityType.VncAuthentication:
                Phase = RfbPhase.VncAuthentication;
                break;
            case (uint)RfbVeNCryptSubtype.Plain:
                SendPlain();
                Phase = RfbPhase.SecurityResult;
                break;
            default:
                Phase = RfbPhase.VeNCryptSubtypeAck;
                break;
        }
        return true;
    }

    private bool StepVeNCryptSubtypeAck(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        if (input.Length < 1) return false;
        if (input[0] != 1) throw new RfbSecurityException(RfbSecurityFailure.VeNCryptFailed, $"the server refused VeNCrypt subtype {(RfbVeNCryptSubtype)_securityType}");
        if (input.Length > 1) throw new DecodeException("VeNCrypt", 1, "the server sent data before the TLS handshake");
        consumed = 1;
        Phase = RfbPhase.TlsHandshake;
        Emit(new RfbTlsRequired((RfbVeNCryptSubtype)_securityType));
        return true;
    }

    /// <summary>Subtypes in order of preference with the policy flag each needs.</summary>
    private static readonly (uint Subtype, RfbSecurityPolicy Flag)[] s_veNCryptPreference =
    [
        ((uint)RfbVeNCryptSubtype.X509Plain, RfbSecurityPolicy.X509Plain),
        ((uint)RfbVeNCryptSubtype.X509Vnc, RfbSecurityPolicy.X509Vnc),
        ((uint)RfbVeNCryptSubtype.X509None, RfbSecurityPolicy.X509None),
        ((uint)RfbVeNCryptSubtype.TlsPlain, RfbSecurityPolicy.TlsPlain),
        ((uint)RfbVeNCryptSubtype.TlsVnc, RfbSecurityPolicy.TlsVnc),
        ((uint)RfbVeNCryptSubtype.TlsNone, RfbSecurityPolicy.TlsNone),
        (RfbSecurityType.VncAuthentication, RfbSecurityPolicy.VncAuthentication),
        (RfbSecurityType.None, RfbSecurityPolicy.NoAuthentication),
        ((uint)RfbVeNCryptSubtype.Plain, RfbSecurityPolicy.Plain),
    ];

    private uint ChooseVeNCryptSubtype(IReadOnlyList<uint> offered)
    {
        var missingCredentials = false;
        foreach (var (subtype, flag) in s_veNCryptPreference)
        {
            if (!offered.Contains(subtype) || !Allows(flag)) continue;
            var needsPassword = flag is RfbSecurityPolicy.VncAuthentication or RfbSecurityPolicy.TlsVnc or RfbSecurityPolicy.X509Vnc
                or RfbSecurityPolicy.Plain or RfbSecurityPolicy.TlsPlain or RfbSecurityPolicy.X509Plain;
            var needsUser = flag is RfbSecurityPolicy.Plain or RfbSecurityPolicy.TlsPlain or RfbSecurityPolicy.X509Plain;
            if ((needsPassword && _options.Password is null) || (needsUser && _options.Username is null))
            {
                missingCredentials = true;
                continue;
            }
            return subtype;
        }
        if (missingCredentials)
        {
            throw new RfbSecurityException(RfbSecurityFailure.MissingCredentials, "every allowed VeNCrypt subtype the server offers needs credentials that are not configured");
        }
        throw new RfbSecurityException(RfbSecurityFailure.NoAcceptableSecurityType,
            $"the server offers VeNCrypt subtypes [{string.Join(", ", offered)}]; the policy allows {_options.Security}");
    }

    private void SendPlain()
    {
        var user = _options.Username ?? throw new RfbSecurityException(RfbSecurityFailure.MissingCredentials, "Plain authentication needs a user name");
        var password = _options.Password ?? throw new RfbSecurityException(RfbSecurityFailure.MissingCredentials, "Plain authentication needs a password");
        Send(new VeNCryptPlainMessage(user, password));
    }

    private bool StepSecurityResult(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        if (!SecurityResultMessage.TryFrame(input, IsV38, out var len)) return false;
        var r = new SpanReader(input[..len], "SecurityResult");
        var result = SecurityResultMessage.Decode(ref r, IsV38);
        consumed = len;
        switch (result.Status)
        {
            case SecurityResultMessage.Ok:
                SendClientInit();
                return true;
            case SecurityResultMessage.TooManyAttempts:
                throw new RfbSecurityException(RfbSecurityFailure.TooManyAttempts, result.Reason ?? "too many authentication attempts");
            default:
                throw new RfbSecurityException(RfbSecurityFailure.AuthenticationFailed, result.Reason ?? "authentication failed");
        }
    }

    /// <summary>Security is done: ClientInit ([RFC 6143] 7.3.1), or, with <see cref="RfbClientOptions.StopAfterSecurity"/>, a stop in <see cref="RfbPhase.Authenticated"/>.</summary>
    private void SendClientInit()
    {
        if (_options.StopAfterSecurity)
        {
            Phase = RfbPhase.Authenticated;
            Emit(new RfbAuthenticated(Version!.Value, _securityType));
            return;
        }
        Send(new ClientInitMessage(_options.Shared));
        Phase = RfbPhase.ServerInit;
    }

    private bool StepServerInit(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        if (!ServerInitMessage.TryFrame(input, out var len)) return false;
        var r = new SpanReader(input[..len], "ServerInit");
        var init = ServerInitMessage.Decode(ref r);
        consumed = len;

        var fb = new Framebuffer(init.Width, init.Height);
        Framebuffer = fb;
        ServerPixelFormat = init.PixelFormat;
        _server = new RfbServerMessageProcessor(fb, new PixelConverter(PixelFormat.Rgb888), _sink, init.Name, _options.MaxClipboardBytes, OnServerEvent, OnServerCutText, jpeg: _options.Jpeg);

        Send(new SetPixelFormatMessage(PixelFormat.Rgb888));
        Send(new SetEncodingsMessage(_options.Encodings ?? DefaultEncodings(_options.Jpeg is null ? null : _options.JpegQuality)));
        Send(new FramebufferUpdateRequestMessage(false, 0, 0, (ushort)fb.Width, (ushort)fb.Height));
        Phase = RfbPhase.Normal;
        Emit(new RfbConnected(init.Name, init.Width, init.Height));
        return true;
    }

    /// <summary>The decoders' preference, then every pseudo-encoding this engine handles.</summary>
    public static IReadOnlyList<int> DefaultEncodings()
    {
        var list = new List<int>(RectangleDecoderSet.DefaultPreference)
        {
            RfbEncodingType.ExtendedDesktopSize,
            RfbEncodingType.DesktopSize,
            RfbEncodingType.LastRect,
            RfbEncodingType.Cursor,
            DesktopNamePseudoEncoding,
            RfbEncodingType.ExtendedClipboard,
        };
        return list;
    }

    /// <summary>
    /// <see cref="DefaultEncodings()"/>, plus, for a <paramref name="jpegQuality"/> of 0-9 (pass null
    /// when there is no JPEG codec), the JPEG quality level and <see cref="RfbClientOptions.JpegCompressLevel"/>
    /// (rfbproto "JPEG Quality Level Pseudo-encoding", "Compression Level Pseudo-encoding").
    /// </summary>
    public static IReadOnlyList<int> DefaultEncodings(int? jpegQuality)
    {
        if (jpegQuality is { } q)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(q, 0, nameof(jpegQuality));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 9, nameof(jpegQuality));
        }
        if (jpegQuality is null)
        {
            return DefaultEncodings();
        }
        return
        [
            .. DefaultEncodings(),
            RfbEncodingType.QualityLevel(jpegQuality.Value),
            RfbEncodingType.CompressLevel(RfbClientOptions.JpegCompressLevel),
        ];
    }
}
