namespace Oriel.Recording;

/// <summary>
/// The code of an asciicast v2 event (the second element of an event line, docs/asciicast.md): what the
/// event's data means. Readers skip codes they do not know, so the names are the format's own letters.
/// </summary>
public enum AsciicastEventCode
{
    /// <summary><c>"o"</c>: text the terminal printed (server to client).</summary>
    Output,

    /// <summary><c>"i"</c>: text the user typed (client to server); written only where the role asks.</summary>
    Input,

    /// <summary><c>"r"</c>: the terminal was resized; the data is <c>COLSxROWS</c>.</summary>
    Resize,

    /// <summary><c>"m"</c>: a marker (a chapter point in the player); the data is its label, possibly empty.</summary>
    Marker,
}
