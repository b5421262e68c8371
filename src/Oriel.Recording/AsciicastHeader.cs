namespace Oriel.Recording;

/// <summary>
/// The first line of an asciicast v2 file (docs/asciicast.md): the terminal's initial size, when the
/// recording started, and what the terminal was. <c>version</c> is always 2 and is not a property.
/// </summary>
public sealed record AsciicastHeader
{
    /// <summary>Longest <see cref="Title"/>, <see cref="Term"/> or <see cref="Shell"/> the writer accepts, in UTF-16 units.</summary>
    public const int MaxTextLength = 1024;

    /// <summary>Initial terminal width in columns, 1..<see cref="AsciicastEvent.MaxDimension"/>.</summary>
    public required int Width { get; init; }

    /// <summary>Initial terminal height in rows, 1..<see cref="AsciicastEvent.MaxDimension"/>.</summary>
    public required int Height { get; init; }

    /// <summary>When the recording started, in Unix seconds; event times count from here. Optional.</summary>
    public long? Timestamp { get; init; }

    /// <summary>The terminal type (<c>env.TERM</c>), for example <c>xterm-256color</c>. Optional.</summary>
    public string? Term { get; init; }

    /// <summary>The login shell (<c>env.SHELL</c>). Optional.</summary>
    public string? Shell { get; init; }

    /// <summary>A title the player shows. Optional.</summary>
    public string? Title { get; init; }
}
