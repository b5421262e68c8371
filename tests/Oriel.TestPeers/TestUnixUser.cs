using System.Security.Cryptography;
using System.Text;

namespace Oriel.TestPeers;

/// <summary>
/// The Unix account that servers checking Unix passwords (Xvnc X509Plain via PAM, sshd, xrdp) log
/// into. Needs root. Its password is random, one per test run, never written in the repository:
/// <see cref="Password"/> comes from <see cref="PasswordVariable"/>, which scripts/test sets for each
/// run; without it (<c>dotnet test</c> by hand) from <see cref="SharedPasswordFile"/>, which the first
/// test process creates and the other test processes of the run read, since the account is shared.
/// </summary>
public static class TestUnixUser
{
    public const string DefaultName = "tester";

    /// <summary>The environment variable holding the run's password (scripts/test generates one per run).</summary>
    public const string PasswordVariable = "ORIEL_TEST_UNIX_PASSWORD";

    /// <summary>
    /// Without <see cref="PasswordVariable"/>: the password the test processes share, root-only (0600) in
    /// <c>/run</c>, which only root can write and which is emptied at boot.
    /// </summary>
    public const string SharedPasswordFile = "/run/oriel-test-unix-password";

    private static readonly Lazy<string> s_password = new(() =>
        FromVariable(Environment.GetEnvironmentVariable(PasswordVariable))
        ?? (OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException("the test Unix account needs Linux") : ReadOrCreateSharedPassword(SharedPasswordFile)));

    /// <summary>This run's password for <see cref="DefaultName"/> (resolved on first use).</summary>
    public static string Password => s_password.Value;

    private const string TigerVncPam = "/etc/pam.d/tigervnc";
    private static readonly SemaphoreSlim s_gate = new(1, 1);

    /// <summary>The variable's value when set, checked like any password chpasswd must take; null when unset or empty.</summary>
    public static string? FromVariable(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        CheckSettable(value, PasswordVariable);
        return value;
    }

    /// <summary>
    /// The password in <paramref name="path"/>, creating the file with a new random password when it does not
    /// exist. Safe against other processes doing the same at the same moment: the password is written to a
    /// private (0600, O_EXCL) temporary file beside it, which is then linked into place only if nothing is there
    /// yet, so a reader sees either no file or the complete one, and every caller gets the first one written.
    /// A file that is not a regular 0600 file is refused rather than trusted.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static string ReadOrCreateSharedPassword(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // File.Move(overwrite: false) is not atomic on every file system (.NET falls back to a check, then rename(2), where
        // link(2) is refused), so creators also take an exclusive lock on a file beside it (flock: FileShare.None on Unix).
        using var creatorLock = AcquireCreatorLock(path + ".lock");
        if (!File.Exists(path))
        {
            var temporary = $"{path}.{Environment.ProcessId}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            try
            {
                using (var stream = new FileStream(temporary, options))
                {
                    stream.Write(Encoding.ASCII.GetBytes(NewPassword() + "\n"));
                    stream.Flush(flushToDisk: true);
                }
                try
                {
                    File.Move(temporary, path, overwrite: false); // link(2): fails when another process got there first
                }
                catch (IOException) when (File.Exists(path))
                {
                }
            }
            finally
            {
                File.Delete(temporary);
            }
        }
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.UnixFileMode != (UnixFileMode.UserRead | UnixFileMode.UserWrite))
        {
            throw new InvalidOperationException($"{path} is not a regular file of mode 0600; remove it");
        }
        var password = File.ReadAllText(path).TrimEnd('\n');
        CheckSettable(password, path);
        return password;
    }

    /// <summary>Holds <paramref name="lockPath"/> open exclusively (flock between processes and threads), retrying for up to 30 s.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static FileStream AcquireCreatorLock(string lockPath)
    {
        var deadline = Environment.TickCount64 + 30_000;
        while (true)
        {
            try
            {
                return new FileStream(lockPath, new FileStreamOptions
                {
                    Mode = FileMode.OpenOrCreate,
                    Access = FileAccess.ReadWrite,
                    Share = FileShare.None,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>32 random hexadecimal digits.</summary>
    public static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static void CheckSettable(string password, string source)
    {
        if (password.Length == 0 || password.Contains(':', StringComparison.Ordinal) || password.Contains('\n', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{source}: chpasswd cannot set an empty password or one with ':' or a newline");
        }
    }

    /// <summary>
    /// Creates the user if missing (home under /home), sets its password (by default this run's <see cref="Password"/>),
    /// and makes sure PAM service "tigervnc" exists.
    /// </summary>
    public static async Task EnsureAsync(string name = DefaultName, string? password = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException($"creating the test user needs root (running as {Environment.UserName})");
        }
        password ??= Password;
        ArgumentException.ThrowIfNullOrEmpty(password);
        if (password.Contains(':', StringComparison.Ordinal) || password.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("chpasswd cannot set a password with ':' or a newline", nameof(password));
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
