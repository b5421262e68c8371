namespace Oriel.Recording;

/// <summary>How <see cref="StreamRecordingReader.ReadAll"/> treats an incomplete or damaged file.</summary>
public enum StreamRecordingReadMode
{
    /// <summary>The file must be complete and undamaged; anything else throws <see cref="Oriel.Wire.DecodeException"/>.</summary>
    Strict,

    /// <summary>
    /// Return every record before the point where the file ends early or is damaged, and say where
    /// (<see cref="StreamRecordingReadResult.TruncatedAt"/>, <see cref="StreamRecordingReadResult.Error"/>).
    /// For files of sessions still running, and for recovery after a crash.
    /// </summary>
    Tolerant,
}
