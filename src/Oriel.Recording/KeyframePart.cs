using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>
/// The payload of a Keyframe record (docs/recording.md, "Keyframe"): <c>flags u8 | messages</c>, where bit 0 of
/// <c>flags</c> marks the last part of the keyframe (the other bits are reserved: writers set them to 0, readers
/// ignore them) and <c>messages</c> are one or more whole encoded TDP messages (split them with
/// <see cref="TdpMessageSplitter"/>). Together, the parts of one keyframe draw the complete screen on an empty
/// canvas: DesktopSize first, then image tiles covering the screen, then the cursor shape if any.
/// </summary>
public readonly ref struct KeyframePart
{
    /// <summary>Bit 0 of the flag byte: this is the keyframe's last part.</summary>
    public const byte LastPartFlag = 0x01;

    private const string What = "Keyframe";

    public KeyframePart(bool last, ReadOnlySpan<byte> messages)
    {
        Last = last;
        Messages = messages;
    }

    /// <summary>True on the keyframe's last part: after it the screen is complete.</summary>
    public bool Last { get; }

    /// <summary>Whole encoded TDP messages (at least one byte), a slice of the parsed payload.</summary>
    public ReadOnlySpan<byte> Messages { get; }

    /// <summary>Reads a Keyframe payload. Throws <see cref="DecodeException"/> when it is empty or holds no message bytes.</summary>
    public static KeyframePart Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty) throw new DecodeException(What, 0, "the flag byte is missing");
        if (payload.Length == StreamRecordingFormat.KeyframeFlagsLength) throw new DecodeException(What, 1, "a keyframe part holds no TDP message");
        return new KeyframePart((payload[0] & LastPartFlag) != 0, payload[StreamRecordingFormat.KeyframeFlagsLength..]);
    }

    /// <summary>
    /// <see cref="Parse"/> for a payload held as memory (a record's <see cref="StreamRecord.Payload"/>): returns the
    /// messages as a slice of it, so they can outlive the call.
    /// </summary>
    public static ReadOnlyMemory<byte> ParseMessages(ReadOnlyMemory<byte> payload, out bool last)
    {
        last = Parse(payload.Span).Last;
        return payload[StreamRecordingFormat.KeyframeFlagsLength..];
    }

    public void Deconstruct(out bool last, out ReadOnlySpan<byte> messages)
    {
        last = Last;
        messages = Messages;
    }
}
