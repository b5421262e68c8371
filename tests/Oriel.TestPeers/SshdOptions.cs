namespace Oriel.TestPeers;

/// <summary>How to start an <see cref="SshdServer"/>: the user it lets in and the algorithms it is limited to.</summary>
public sealed class SshdOptions
{
    /// <summary>The only account sshd lets in (<c>AllowUsers</c>); created with this run's password by <see cref="TestUnixUser"/>.</summary>
    public string User { get; init; } = TestUnixUser.DefaultName;

    /// <summary>
    /// <c>UsePAM</c>. With PAM, keyboard-interactive works and a wrong password is refused after about 4.7 s;
    /// without it a wrong password is refused at once but keyboard-interactive offers no prompts.
    /// </summary>
    public bool UsePam { get; init; } = true;

    /// <summary><c>Ciphers</c> forced on the sshd command line (e.g. <c>aes256-gcm@openssh.com</c>); null keeps sshd's default list.</summary>
    public string? Ciphers { get; init; }

    /// <summary><c>MACs</c> forced on the sshd command line (e.g. <c>hmac-sha2-256</c>); null keeps the default.</summary>
    public string? Macs { get; init; }

    /// <summary><c>KexAlgorithms</c> forced on the sshd command line (e.g. <c>curve25519-sha256</c>); null keeps the default.</summary>
    public string? KexAlgorithms { get; init; }

    /// <summary><c>HostKeyAlgorithms</c> forced on the sshd command line (e.g. <c>ssh-ed25519</c>, <c>rsa-sha2-512</c>); null keeps the default.</summary>
    public string? HostKeyAlgorithms { get; init; }

    /// <summary><c>LogLevel</c> (INFO, VERBOSE, DEBUG1..3); sshd's log is in <see cref="SshdServer.Log"/>.</summary>
    public string LogLevel { get; init; } = "VERBOSE";

    /// <summary>More <c>-o Name=value</c> settings for the sshd command line.</summary>
    public IReadOnlyList<string> ExtraOptions { get; init; } = [];

    /// <summary>How long to wait for the port to accept connections.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
