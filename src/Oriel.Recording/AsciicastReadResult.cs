namespace Oriel.Recording;

/// <summary>What <see cref="AsciicastReader.ReadAll"/> found in an asciicast v2 file.</summary>
public sealed class AsciicastReadResult
{
    /// <summary>The header, or null when the file ends before its first line is complete.</summary>
    public required AsciicastHeader? Header { get; init; }

    /// <summary>The events of the known codes, in file order.</summary>
    public required IReadOnlyList<AsciicastEvent> Events { get; init; }

    /// <summary>Bytes of the file that were read: up to the end of the last complete line.</summary>
    public required long ValidLength { get; init; }

    /// <summary>Where an unfinished last line starts (the file was cut off while being written), or null.</summary>
    public required long? TruncatedAt { get; init; }

    /// <summary>Well-formed events with a code this reader does not know, left out of <see cref="Events"/>.</summary>
    public required int SkippedEvents { get; init; }
}
