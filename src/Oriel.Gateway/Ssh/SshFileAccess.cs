namespace Oriel.Gateway.Ssh;

/// <summary>What the file endpoints need of one live SSH session.</summary>
/// <param name="SessionId">The live session's id.</param>
/// <param name="UserId">Only this user may use the panel.</param>
/// <param name="TargetId">For audit.</param>
/// <param name="Request">
/// How the terminal connected, with the host key now pinned (an <see cref="SshConnectRequest.AcceptHostKey"/> that
/// accepts exactly the key seen) and the credentials that worked (a password the user typed is kept in memory for the
/// session's life only, for this).
/// </param>
/// <param name="MayDownload">The role allows files from the target to the browser.</param>
/// <param name="MayUpload">The role allows files from the browser to the target.</param>
public sealed record SshFileAccess(string SessionId, string UserId, string TargetId, SshConnectRequest Request, bool MayDownload, bool MayUpload);
