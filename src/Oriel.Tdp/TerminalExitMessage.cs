using System.Buffers.Binary;
using System.Text;
using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// Oriel message 112 "terminal exit" (docs/tdp.md), server → client: the remote program has ended, and how,
/// so the browser can show it; the server closes the session after it.
/// <c>| 112 | kind byte | exit_status uint32 | signal_length uint32 | message_length uint32 | signal []byte | message []byte |</c>.
/// Both lengths sit in the fixed 14-byte header so a stream reader can frame it. <see cref="Signal"/> is the
/// SSH signal name without "SIG" (e.g. "KILL"), printable ASCII, 1..<see cref="TdpLimits.MaxSignalNameBytes"/>
/// bytes with <see cref="TerminalExitKind.Signaled"/> and empty otherwise; <see cref="ExitStatus"/> is 0 unless
/// <see cref="TerminalExitKind.Exited"/>. <see cref="Message"/> is UTF-8 text for the user (may be empty), at most
/// <see cref="TdpLimits.MaxTextBytes"/>.
/// </summary>
public sealed record TerminalExitMessage(TerminalExitKind Kind, uint ExitStatus, string Signal, string Message) : TdpMessage
{
    /// <summary>type(1) kind(1) exit_status(4) signal_length(4) message_length(4).</summary>
    public const int HeaderSize = 14;

    public override TdpMessageType Type => TdpMessageType.TerminalExit;

    public override int Size => HeaderSize + Signal.Length + TdpFields.Utf8Length(Message);

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckEnum((byte)Kind, (byte)TerminalExitKind.Unknown, "kind");
        TdpFields.CheckCap(TdpFields.Utf8Length(Message), TdpLimits.MaxTextBytes, "message_length");
        TdpFields.CheckCap(Signal.Length, TdpLimits.MaxSignalNameBytes, "signal_length");
        if (Rule(Kind, ExitStatus, Signal.Length) is { } broken)
        {
            throw new ArgumentException(broken, nameof(Signal));
        }
        foreach (var c in Signal)
        {
            if (c is < '!' or > '~')
            {
                throw new ArgumentException("signal is not printable ASCII", nameof(Signal));
            }
        }
        var message = Encoding.UTF8.GetBytes(Message);
        w.WriteByte((byte)Type);
        w.WriteByte((byte)Kind);
        w.WriteUInt32(ExitStatus);
        w.WriteUInt32((uint)Signal.Length);
        w.WriteUInt32((uint)message.Length);
        w.WriteBytes(Encoding.ASCII.GetBytes(Signal));
        w.WriteBytes(message);
    }

    internal static TerminalExitMessage Decode(ref SpanReader r)
    {
        var kind = (TerminalExitKind)TdpFields.ReadEnum(ref r, (byte)TerminalExitKind.Unknown, "kind");
        var status = r.ReadUInt32("exit_status");
        var signalLength = r.ReadLength32(TdpLimits.MaxSignalNameBytes, "signal_length");
        var messageLength = r.ReadLength32(TdpLimits.MaxTextBytes, "message_length");
        if (Rule(kind, status, signalLength) is { } broken)
        {
            throw r.Error(broken);
        }
        if (r.Remaining >= signalLength)
        {
            foreach (var b in r.RemainingSpan[..signalLength])
            {
                if (b is < 0x21 or > 0x7E)
                {
                    throw r.Error("signal is not printable ASCII");
                }
            }
        }
        var signal = Encoding.ASCII.GetString(r.ReadSpan(signalLength, "signal"));
        var message = Encoding.UTF8.GetString(TdpFields.ReadUtf8Bytes(ref r, messageLength, "message"));
        return new(kind, status, signal, message);
    }

    /// <summary>Total length from the 14-byte header, caps checked; null until the header is there.</summary>
    internal static int? FrameLength(ReadOnlySpan<byte> buffer, string what)
    {
        if (buffer.Length < HeaderSize)
        {
            return null;
        }
        var signal = BinaryPrimitives.ReadUInt32BigEndian(buffer[6..]);
        if (signal > TdpLimits.MaxSignalNameBytes)
        {
            throw new DecodeException(what, 6, $"signal_length {signal} exceeds the cap of {TdpLimits.MaxSignalNameBytes}");
        }
        var message = BinaryPrimitives.ReadUInt32BigEndian(buffer[10..]);
        if (message > TdpLimits.MaxTextBytes)
        {
            throw new DecodeException(what, 10, $"message_length {message} exceeds the cap of {TdpLimits.MaxTextBytes}");
        }
        return HeaderSize + (int)signal + (int)message;
    }

    /// <summary>The reason the kind, status and signal length do not fit together, or null when they do.</summary>
    private static string? Rule(TerminalExitKind kind, uint status, int signalLength) => kind switch
    {
        TerminalExitKind.Signaled when signalLength == 0 => "signal_length is 0 with kind 1 (signal)",
        not TerminalExitKind.Signaled when signalLength != 0 => $"signal_length {signalLength} with kind {(byte)kind}: only kind 1 has a signal",
        not TerminalExitKind.Exited when status != 0 => $"exit_status {status} with kind {(byte)kind}: only kind 0 has a status",
        _ => null,
    };
}
