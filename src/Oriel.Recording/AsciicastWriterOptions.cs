namespace Oriel.Recording;

/// <summary>Choices for an <see cref="AsciicastWriter"/>.</summary>
public sealed record AsciicastWriterOptions
{
    /// <summary>
    /// Whether <see cref="AsciicastWriter.WriteInput"/> writes anything. Off by default: typed input holds
    /// passwords, so it is recorded only where the role asks for it (issue 8). When off, input is dropped
    /// without a trace and the file is the same as one from a session where nobody typed.
    /// </summary>
    public bool RecordInput { get; init; }

    /// <summary>
    /// Most data bytes in one event: a longer output or input chunk becomes several events with the same
    /// time. Bounds the longest line the writer produces (at most six bytes per data byte, escaped), so
    /// that it stays below the reader's <see cref="AsciicastReader.DefaultMaxLineLength"/>.
    /// </summary>
    public int MaxEventDataBytes { get; init; } = 16 * 1024;

    /// <summary>Largest <see cref="MaxEventDataBytes"/> allowed.</summary>
    public const int MaxEventDataBytesLimit = 128 * 1024;
}
