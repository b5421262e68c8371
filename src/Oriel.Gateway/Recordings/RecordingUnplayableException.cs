namespace Oriel.Gateway.Recordings;

/// <summary>
/// A recording that cannot be turned into something the player plays: a passthrough session that used an encoding
/// or a security type the replay does not follow, a JPEG recording on a gateway without a JPEG library, a kind the
/// gateway does not know. The message is for the user and the log (it says what and where, never the content).
/// </summary>
public sealed class RecordingUnplayableException : Exception
{
    public RecordingUnplayableException()
    {
    }

    public RecordingUnplayableException(string message)
        : base(message)
    {
    }

    public RecordingUnplayableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
