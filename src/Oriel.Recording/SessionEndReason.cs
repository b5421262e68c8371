namespace Oriel.Recording;

/// <summary>Why a session ended, as a <see cref="SessionEndMarker"/> records it (docs/recording.md, "SessionEnd").</summary>
public enum SessionEndReason : byte
{
    /// <summary>Not recorded or not known.</summary>
    Unknown = 0,

    /// <summary>The client closed the connection.</summary>
    ClientClosed = 1,

    /// <summary>The server (target) closed the connection.</summary>
    ServerClosed = 2,

    /// <summary>The gateway ended the session: access revoked, an administrator, shutdown.</summary>
    Terminated = 3,

    /// <summary>An idle or maximum-duration limit was reached.</summary>
    Timeout = 4,

    /// <summary>A protocol or transport error ended the session.</summary>
    Error = 5,
}
