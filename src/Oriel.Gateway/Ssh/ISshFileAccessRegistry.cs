namespace Oriel.Gateway.Ssh;

/// <summary>
/// The live SSH sessions whose file panel may be used: the SSH session registers itself once authenticated and removes
/// itself as it ends; the file endpoints (<c>/api/sessions/live/{sessionId}/files/...</c>) find the session's
/// connection details here, so file transfer needs no second sign-in and ends with the terminal.
/// </summary>
public interface ISshFileAccessRegistry
{
    void Register(SshFileAccess access);

    void Unregister(string sessionId);

    SshFileAccess? Find(string sessionId);

    /// <summary>
    /// Raised by <see cref="Unregister"/> after a registered session was removed, with its id, so the file panel closes
    /// the session's SFTP connection with it (added by the file panel's branch). The default does nothing, for
    /// registries that never end sessions (test doubles).
    /// </summary>
    event Action<string>? Unregistered
    {
        add { }
        remove { }
    }
}
