namespace Oriel.Wire;

/// <summary>
/// The one exception type for malformed input from an untrusted peer (a browser or a target).
/// It says what was being decoded, where in the input, and why it was refused. It is thrown
/// before any allocation that a length field asks for, and caught once, at the connection
/// boundary, where it ends only the session it belongs to.
/// </summary>
public sealed class DecodeException : Exception
{
    public DecodeException(string what, long offset, string why)
        : base($"{what}: {why} (at byte {offset})")
    {
        What = what;
        Offset = offset;
        Why = why;
    }

    public DecodeException(string what, string why)
        : base($"{what}: {why}")
    {
        What = what;
        Offset = -1;
        Why = why;
    }

    /// <summary>The message, PDU or field being decoded.</summary>
    public string What { get; }

    /// <summary>Byte offset into the decoded buffer, or -1 when unknown.</summary>
    public long Offset { get; }

    /// <summary>Why the input was refused.</summary>
    public string Why { get; }

    /// <summary>Throws if <paramref name="length"/> exceeds <paramref name="cap"/>. Call before allocating.</summary>
    public static void ThrowIfOverCap(string what, long length, long cap)
    {
        if (length < 0 || length > cap)
        {
            throw new DecodeException(what, $"length {length} exceeds the cap of {cap}");
        }
    }
}
