namespace Oriel.Rfb.Replay;

/// <summary>
/// The recorded session cannot be replayed from its raw bytes: the client chose a security type
/// that encrypts the stream (VeNCrypt runs TLS; others such as RA2 encrypt too), or one this
/// observer does not follow. Not a sign of malformed input: the recording is fine, the replay is
/// impossible.
/// </summary>
public sealed class RfbReplayUnsupportedException : Exception
{
    public RfbReplayUnsupportedException()
    {
    }

    public RfbReplayUnsupportedException(string message)
        : base(message)
    {
    }

    public RfbReplayUnsupportedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
