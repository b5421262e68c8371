using System.Buffers;
using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Rfb.Passthrough;

/// <summary>
/// The server side of the RFB handshake up to ClientInit ([RFC 6143] 7.1-7.3.1), offering security type None
/// only, as a sans-IO state machine: the passthrough gateway plays it towards a stock viewer (noVNC) after it has
/// authenticated to the real target itself, so the viewer never sees or asks for the target's credentials.
/// <list type="number">
/// <item>On creation the output holds the server's ProtocolVersion, "RFB 003.008\n" (7.1.1).</item>
/// <item>The client's ProtocolVersion is read as 7.1.1 says: 3.3, 3.7 and 3.8 as themselves, 3.4-3.6 as 3.3, anything
/// above 3.8 as 3.8, below 3.3 is malformed.</item>
/// <item>3.3: the server decides, security-type u32 1 (7.1.2). 3.7/3.8: the list [1] (7.1.2), then the client's
/// choice, which must be 1.</item>
/// <item>3.8: SecurityResult OK (7.1.3); 3.3 and 3.7 send none for None (7.2.1).</item>
/// <item>ClientInit (7.3.1): the shared-flag. Then <see cref="Phase"/> is <see cref="RfbServerHandshakePhase.Complete"/>
/// and the caller answers with the target's ServerInit.</item>
/// </list>
/// <see cref="Receive"/> consumes only handshake bytes and says how many, so bytes the client sent after
/// ClientInit stay with the caller. Malformed client bytes throw <see cref="DecodeException"/> (with the client
/// stream offset). No I/O, no clock; not thread-safe.
/// </summary>
public sealed class RfbNoneSecurityServerHandshake
{
    /// <summary>The version the server announces.</summary>
    public static readonly ProtocolVersionMessage ServerVersion = ProtocolVersionMessage.V38;

    /// <summary>Most client bytes held while a unit is incomplete (a ProtocolVersion is the longest).</summary>
    private const int MaxHeld = ProtocolVersionMessage.Length;

    private readonly ArrayBufferWriter<byte> _output = new(32);
    private readonly byte[] _held = new byte[MaxHeld];
    private int _heldLength;
    private long _position;

    public RfbNoneSecurityServerHandshake()
    {
        Write(ServerVersion);
    }

    /// <summary>Where the handshake is.</summary>
    public RfbServerHandshakePhase Phase { get; private set; } = RfbServerHandshakePhase.ProtocolVersion;

    /// <summary>True once ClientInit was read.</summary>
    public bool IsComplete => Phase == RfbServerHandshakePhase.Complete;

    /// <summary>The version the client answered, as sent.</summary>
    public ProtocolVersionMessage? ClientVersion { get; private set; }

    /// <summary>The version in use: <see cref="ClientVersion"/> read the way 7.1.1 says (3.3, 3.7 or 3.8).</summary>
    public ProtocolVersionMessage? Version { get; private set; }

    /// <summary>The client's ClientInit shared-flag, once read.</summary>
    public bool? Shared { get; private set; }

    /// <summary>True when bytes are waiting to be sent to the client.</summary>
    public bool HasOutput => _output.WrittenCount > 0;

    /// <summary>
    /// Takes client bytes (any chunking, in order) and returns how many belong to the handshake; the rest of
    /// <paramref name="data"/> (after <see cref="RfbServerHandshakePhase.Complete"/>) is the client's normal
    /// phase and was not looked at. An incomplete unit is held, and counted as consumed.
    /// </summary>
    public int Receive(ReadOnlySpan<byte> data)
    {
        var consumed = 0;
        while (Phase != RfbServerHandshakePhase.Complete && consumed < data.Length)
        {
            var need = UnitLength - _heldLength;
            var take = Math.Min(need, data.Length - consumed);
            data.Slice(consumed, take).CopyTo(_held.AsSpan(_heldLength));
            _heldLength += take;
            consumed += take;
            if (_heldLength < UnitLength) break;
            var unit = _held.AsSpan(0, _heldLength);
            try
            {
                Step(unit);
            }
            catch (DecodeException e)
            {
                throw new DecodeException(e.What, _position + Math.Max(e.Offset, 0), $"{e.Why} (client handshake)");
            }
            _position += _heldLength;
            _heldLength = 0;
        }
        return consumed;
    }

    /// <summary>Moves every pending output byte to <paramref name="destination"/>; returns how many.</summary>
    public int TakeOutput(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var n = _output.WrittenCount;
        if (n == 0) return 0;
        destination.Write(_output.WrittenSpan);
        _output.ResetWrittenCount();
        return n;
    }

    /// <summary>The length of the unit the current phase reads.</summary>
    private int UnitLength => Phase switch
    {
        RfbServerHandshakePhase.ProtocolVersion => ProtocolVersionMessage.Length,
        _ => 1,
    };

    private void Step(ReadOnlySpan<byte> unit)
    {
        var r = new SpanReader(unit, "handshake");
        switch (Phase)
        {
            case RfbServerHandshakePhase.ProtocolVersion:
            {
                var client = ProtocolVersionMessage.Decode(ref r);
                if (client.Major < 3 || (client.Major == 3 && client.Minor < 3))
                {
                    throw new DecodeException("ProtocolVersion", 0, $"client version {client} is older than 3.3");
                }
                ClientVersion = client;
                var version = client.Negotiate();
                Version = version;
                if (version == ProtocolVersionMessage.V33)
                {
                    Write(new SecurityTypeMessage(RfbSecurityType.None, null));
                    Phase = RfbServerHandshakePhase.ClientInit;
                }
                else
                {
                    Write(new SecurityTypesMessage([RfbSecurityType.None], null));
                    Phase = RfbServerHandshakePhase.SecuritySelection;
                }
                break;
            }
            case RfbServerHandshakePhase.SecuritySelection:
            {
                var choice = SecurityTypeSelectionMessage.Decode(ref r);
                if (choice.Type != RfbSecurityType.None)
                {
                    throw new DecodeException("security-type", 0, $"the client chose security type {choice.Type}; only None (1) was offered");
                }
                if (Version == ProtocolVersionMessage.V38)
                {
                    Write(new SecurityResultMessage(SecurityResultMessage.Ok, null));
                }
                Phase = RfbServerHandshakePhase.ClientInit;
                break;
            }
            case RfbServerHandshakePhase.ClientInit:
                Shared = ClientInitMessage.Decode(ref r).Shared;
                Phase = RfbServerHandshakePhase.Complete;
                break;
            default:
                throw new InvalidOperationException($"phase {Phase} reads nothing");
        }
        r.EnsureEnd();
    }

    private void Write(ProtocolVersionMessage message)
    {
        var w = new SpanWriter(_output.GetSpan(message.Size)[..message.Size]);
        message.Encode(ref w);
        _output.Advance(message.Size);
    }

    private void Write(SecurityTypeMessage message)
    {
        var w = new SpanWriter(_output.GetSpan(message.Size)[..message.Size]);
        message.Encode(ref w);
        _output.Advance(message.Size);
    }

    private void Write(SecurityTypesMessage message)
    {
        var w = new SpanWriter(_output.GetSpan(message.Size)[..message.Size]);
        message.Encode(ref w);
        _output.Advance(message.Size);
    }

    private void Write(SecurityResultMessage message)
    {
        var w = new SpanWriter(_output.GetSpan(message.Size)[..message.Size]);
        message.Encode(ref w);
        _output.Advance(message.Size);
    }
}
