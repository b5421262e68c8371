using System.Text;

namespace Oriel.TestPeers;

/// <summary>
/// The Unix account that servers checking Unix passwords (Xvnc X509Plain via PAM, sshd, xrdp) log
/// into. Needs root. Every caller in a run should use <see cref="DefaultPassword"/>, since the
/// account is shared.
/// </summary>
public static class TestUnixUser
{
    public const string DefaultName = "tester";
    public const string DefaultPassword = "Oriel-test-pw1";

    private const string TigerVncPam = "/etc/pam.d/tigervnc";
    private static readonly SemaphoreSlim s_gate = new(1, 1);

    /// <summary>Creates the user if missing (home under /home), sets its password, and makes sure PAM service "tigervnc" exists.</summary>
    public static async Task EnsureAsync(string name = DefaultName, string password = DefaultPassword)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrEmpty(password);
        if (password.Contains(':', StringComparison.Ordinal) || password.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("chpasswd cannot set a password with ':' or a newline", nameof(password));
        }
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException($"creating the test user needs root (running as {Environment.UserName})");
        }
        await s_gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var id = await ProcessRunner.RunAsync("id", "-u", name).ConfigureAwait(false);
            if (id.ExitCode != 0)
            {
                var add = await ProcessRunner.RunAsync("useradd", "-m", "-s", "/bin/bash", name).ConfigureAwait(false);
                // Another test run may have created it meanwhile (useradd exit code 9: name in use).
                if (add.ExitCode is not (0 or 9)) add.EnsureSuccess();
            }
            (await ProcessRunner.RunAsync(["chpasswd"], standardInput: Encoding.UTF8.GetBytes($"{name}:{password}\n")).ConfigureAwait(false))
                .EnsureSuccess();
            if (!File.Exists(TigerVncPam))
            {
                File.WriteAllText(TigerVncPam, "#%PAM-1.0\n@include common-auth\n@include common-account\n@include common-session\n");
            }
        }
        finally
        {
            s_gate.Release();
        }
    }
}
