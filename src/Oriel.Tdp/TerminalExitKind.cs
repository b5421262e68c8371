namespace Oriel.Tdp;

/// <summary>Terminal exit (112) <c>kind</c>: how the remote program ended (SSH's exit-status and exit-signal, RFC 4254 section 6.10).</summary>
public enum TerminalExitKind : byte
{
    /// <summary>The program exited with <see cref="TerminalExitMessage.ExitStatus"/>.</summary>
    Exited = 0,

    /// <summary>The program was ended by the signal <see cref="TerminalExitMessage.Signal"/>.</summary>
    Signaled = 1,

    /// <summary>The session ended without either (the connection was lost, or the server sent neither).</summary>
    Unknown = 2,
}
