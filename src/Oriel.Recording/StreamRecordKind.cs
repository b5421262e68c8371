namespace Oriel.Recording;

/// <summary>
/// The kind byte of a record (docs/recording.md, "Record kinds"). Kinds below 0x80 are critical: a
/// reader refuses a file with a critical kind it does not know. Kinds from 0x80 up are ancillary and
/// skipped by readers that do not know them. 0x00 is never a valid kind (a zero-filled tail left by
/// a crash is recognised as damage, not as records).
/// </summary>
public enum StreamRecordKind : byte
{
    /// <summary>Bytes the client sent to the server, in order.</summary>
    ClientData = 0x01,

    /// <summary>Bytes the server sent to the client, in order.</summary>
    ServerData = 0x02,

    /// <summary>The relayed connection to the target opened. Empty payload.</summary>
    SessionStart = 0x10,

    /// <summary>The session ended; payload <see cref="SessionEndMarker"/>.</summary>
    SessionEnd = 0x11,

    /// <summary>The desktop size as the recorder learnt it; payload <see cref="ResizeMarker"/>.</summary>
    Resize = 0x12,

    /// <summary>Free text from the gateway (an auditor's note, a policy event); payload <see cref="NoteMarker"/>.</summary>
    Note = 0x13,

    /// <summary>A sync point: running totals a player can resume from; payload <see cref="StreamSyncPoint"/>.</summary>
    Sync = 0x20,

    /// <summary>The last record: totals and the sync point index; payload <see cref="StreamRecordingEnd"/>.</summary>
    End = 0x7F,

    /// <summary>
    /// Ancillary (minor version 1.1, kind <c>tdp</c>): one part of a keyframe, whole TDP messages that draw the
    /// complete screen on an empty canvas; payload <see cref="KeyframePart"/>. A keyframe is a Sync record
    /// followed by one or more Keyframe records of the same time, the last with its last-part flag set.
    /// </summary>
    Keyframe = 0x80,
}
