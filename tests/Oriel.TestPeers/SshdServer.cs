using System.Globalization;
using System.Text;

namespace Oriel.TestPeers;

/// <summary>
/// An OpenSSH sshd on 127.0.0.1 and a free port, for integration tests: its own host keys (ed25519, ecdsa, rsa)
/// and config in a private directory, password, keyboard-interactive and public-key logins for the test Unix
/// account only, authorized keys in the private directory (the account's home is not touched), and the sftp
/// subsystem. Algorithms can be forced from the server side (<see cref="SshdOptions"/>). Needs root.
/// Start with <see cref="StartAsync"/>; dispose to stop.
/// </summary>
public sealed class SshdServer : IAsyncDisposable
{
    /// <summary>sshd's privilege separation directory; it refuses to start without it.</summary>
    private const string PrivilegeSeparationDirectory = "/run/sshd";
    private const string Sshd = "/usr/sbin/sshd";
    private const string SftpServer = "/usr/lib/openssh/sftp-server";
    private const int MaxAttempts = 6;
    private static readonly string[] s_hostKeyTypes = ["ed25519", "ecdsa", "rsa"];

    private readonly SemaphoreSlim _authorizedKeysGate = new(1, 1);
    private int _clientKeys;
    private int _disposed;

    private SshdServer(SshdOptions options, ManagedProcess process, int port, string directory, IReadOnlyList<SshHostKey> hostKeys)
    {
        Options = options;
        Process = process;
        Port = port;
        WorkDirectory = directory;
        HostKeys = hostKeys;
    }

    public SshdOptions Options { get; }

    /// <summary>The sshd process (started with <c>-D -e</c>: its log is its stderr).</summary>
    public ManagedProcess Process { get; }

    /// <summary>The last lines of sshd's log, for failure messages.</summary>
    public string Log => Process.RecentOutput;

    /// <summary>The SSH port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The user sshd lets in.</summary>
    public string User => Options.User;

    /// <summary>The user's password (this run's <see cref="TestUnixUser.Password"/>).</summary>
    public static string Password => TestUnixUser.Password;

    /// <summary>This server's private directory (config, host keys, authorized keys, client keys).</summary>
    public string WorkDirectory { get; }

    /// <summary>The host keys sshd offers (ed25519, ecdsa, rsa).</summary>
    public IReadOnlyList<SshHostKey> HostKeys { get; }

    /// <summary>The <c>AuthorizedKeysFile</c> (readable by the user, owned by root).</summary>
    public string AuthorizedKeysPath => Path.Combine(WorkDirectory, "authorized", "keys");

    /// <summary>The host key of the given type (<c>ssh-ed25519</c>, <c>ecdsa-sha2-nistp256</c>, <c>ssh-rsa</c>).</summary>
    public SshHostKey HostKey(string algorithm) =>
        HostKeys.FirstOrDefault(k => k.Algorithm == algorithm) ?? throw new ArgumentException($"no {algorithm} host key", nameof(algorithm));

    /// <summary>The host name a client's known_hosts file uses for this server: <c>[127.0.0.1]:port</c>.</summary>
    public string KnownHostsName => string.Create(CultureInfo.InvariantCulture, $"[127.0.0.1]:{Port}");

    /// <summary>Writes a known_hosts file naming all of this server's host keys, for <c>ssh -o UserKnownHostsFile=</c>.</summary>
    public string WriteKnownHostsFile()
    {
        var path = Path.Combine(WorkDirectory, "known_hosts");
        File.WriteAllLines(path, HostKeys.Select(k => $"{KnownHostsName} {k.PublicKeyLine}"));
        return path;
    }

    /// <summary>Creates the user if needed (with this run's password), host keys and config, starts sshd and waits for its port.</summary>
    public static async Task<SshdServer> StartAsync(SshdOptions? options = null)
    {
        options ??= new SshdOptions();
        await TestUnixUser.EnsureAsync(options.User).ConfigureAwait(false);
        Directory.CreateDirectory(PrivilegeSeparationDirectory);
        var directory = TestDirs.Create("sshd");
        var hostKeys = new List<SshHostKey>();
        var hostKeyPaths = new List<string>();
        foreach (var type in s_hostKeyTypes)
        {
            var path = Path.Combine(directory, $"ssh_host_{type}_key");
            (await ProcessRunner.RunAsync("ssh-keygen", "-q", "-t", type, "-N", "", "-C", $"oriel-test-{type}", "-f", path).ConfigureAwait(false))
                .EnsureSuccess();
            hostKeyPaths.Add(path);
            hostKeys.Add(await ReadHostKeyAsync(path + ".pub").ConfigureAwait(false));
        }
        var authorized = Path.Combine(directory, "authorized");
        Directory.CreateDirectory(authorized);
        File.WriteAllText(Path.Combine(authorized, "keys"), "");
        MakeReadableByTheUser(directory, authorized);

        Exception? last = null;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var port = TestPorts.GetFreePort();
            var config = Path.Combine(directory, "sshd_config");
            await File.WriteAllTextAsync(config, Config(options, directory, port, hostKeyPaths)).ConfigureAwait(false);
            var argv = new List<string> { Sshd, "-D", "-e", "-f", config };
            AddOption(argv, "Ciphers", options.Ciphers);
            AddOption(argv, "MACs", options.Macs);
            AddOption(argv, "KexAlgorithms", options.KexAlgorithms);
            AddOption(argv, "HostKeyAlgorithms", options.HostKeyAlgorithms);
            foreach (var extra in options.ExtraOptions) argv.AddRange(["-o", extra]);
            var process = ManagedProcess.Start(argv, workingDirectory: directory);
            try
            {
                await process.WaitForPortAsync(port, options.StartTimeout).ConfigureAwait(false);
                return new SshdServer(options, process, port, directory, hostKeys);
            }
            catch (InvalidOperationException e) when (process.RecentOutput.Contains("Address already in use", StringComparison.Ordinal))
            {
                // Lost a race for the port with another test: try another.
                last = e;
                await process.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await process.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        throw new InvalidOperationException($"sshd did not start in {MaxAttempts} attempts", last);
    }

    /// <summary>
    /// Generates an ed25519 client key pair in OpenSSH format (protected by <paramref name="passphrase"/> when given)
    /// and, unless <paramref name="authorize"/> is false, adds its public key to the authorized keys.
    /// </summary>
    public async Task<SshClientKey> CreateClientKeyAsync(string? passphrase = null, bool authorize = true)
    {
        var n = Interlocked.Increment(ref _clientKeys);
        var path = Path.Combine(WorkDirectory, string.Create(CultureInfo.InvariantCulture, $"client_key_{n}"));
        (await ProcessRunner.RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase ?? "", "-C", $"oriel-test-client-{n}", "-f", path).ConfigureAwait(false))
            .EnsureSuccess();
        var key = new SshClientKey(path, (await File.ReadAllTextAsync(path + ".pub").ConfigureAwait(false)).Trim(), passphrase);
        if (authorize) await AuthorizeAsync(key.PublicKeyLine).ConfigureAwait(false);
        return key;
    }

    /// <summary>Adds a public key line (<c>ssh-ed25519 AAAA... comment</c>) to the authorized keys; sshd reads the file at each login.</summary>
    public async Task AuthorizeAsync(string publicKeyLine)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKeyLine);
        if (publicKeyLine.Contains('\n', StringComparison.Ordinal)) throw new ArgumentException("one line only", nameof(publicKeyLine));
        await _authorizedKeysGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await File.AppendAllTextAsync(AuthorizedKeysPath, publicKeyLine + "\n").ConfigureAwait(false);
        }
        finally
        {
            _authorizedKeysGate.Release();
        }
    }

    /// <summary>
    /// Freezes the listening sshd (SIGSTOP to its process group): new connections are accepted by the kernel and never
    /// answered. Sessions already logged in run in their own process groups and keep running.
    /// </summary>
    public void Suspend() => Process.Suspend();

    /// <summary>Lets a suspended sshd run again.</summary>
    public void Resume() => Process.Resume();

    /// <summary>
    /// Freezes every session sshd started (SIGSTOP to each descendant of the listener: the per-connection sshd
    /// processes and their shells), as a server that stopped answering: logged-in connections stay open at the TCP
    /// level but nothing is read or answered. The listener itself keeps running (see <see cref="Suspend"/> for that).
    /// </summary>
    public void SuspendSessions()
    {
        if (OperatingSystem.IsWindows() || Process.HasExited) return;
        foreach (var pid in Descendants(Process.Id)) NativeMethods.KillProcess(pid, NativeMethods.SigStop);
    }

    /// <summary>Lets sessions frozen by <see cref="SuspendSessions"/> run again (SIGCONT).</summary>
    public void ResumeSessions()
    {
        if (OperatingSystem.IsWindows() || Process.HasExited) return;
        foreach (var pid in Descendants(Process.Id)) NativeMethods.KillProcess(pid, NativeMethods.SigCont);
    }

    /// <summary>Kills sshd and every session it started at once (SIGKILL), as a crashed server.</summary>
    public Task KillAsync()
    {
        Process.Resume();
        KillSessions();
        return Process.StopAsync(TimeSpan.Zero);
    }

    /// <summary>Stops sshd and kills every session it started (see <see cref="KillSessions"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Process.Resume();
        KillSessions();
        await Process.DisposeAsync().ConfigureAwait(false);
        _authorizedKeysGate.Dispose();
    }

    /// <summary>
    /// sshd starts each connection in a new session (setsid), and each session's command in another, so they leave the
    /// listener's process group and would outlive it. Freezes every descendant of the listener (SIGSTOP, so none forks
    /// meanwhile), looks again until no new one appears, then SIGKILLs them all. Only these processes: sessions of other
    /// sshd servers (other tests) are not descendants of this one.
    /// </summary>
    private void KillSessions()
    {
        if (OperatingSystem.IsWindows() || Process.HasExited) return;
        var found = new HashSet<int>();
        for (var round = 0; round < 10; round++)
        {
            var added = false;
            foreach (var pid in Descendants(Process.Id))
            {
                if (found.Add(pid))
                {
                    NativeMethods.KillProcess(pid, NativeMethods.SigStop);
                    added = true;
                }
            }
            if (!added) break;
        }
        foreach (var pid in found) NativeMethods.KillProcess(pid, NativeMethods.SigKill);
    }

    /// <summary>The processes below <paramref name="root"/> in the parent tree, from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
    private static List<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // exited meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)) continue;
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(pid);
        }
        var result = new List<int>();
        var pending = new Stack<int>([root]);
        while (pending.TryPop(out var pid))
        {
            if (!children.TryGetValue(pid, out var list)) continue;
            foreach (var child in list)
            {
                result.Add(child);
                pending.Push(child);
            }
        }
        return result;
    }

    /// <summary>
    /// sshd reads the authorized keys as the user, so the path to them must be readable by anyone whatever the process
    /// umask was when it was made: a gateway started in the same test process sets 077 (PrivateDataDirectory).
    /// </summary>
    private static void MakeReadableByTheUser(string directory, string authorized)
    {
        if (OperatingSystem.IsWindows()) return;
        const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        foreach (var path in new[] { TestDirs.RunDirectory, directory, authorized })
        {
            File.SetUnixFileMode(path, Traversable);
        }
        File.SetUnixFileMode(Path.Combine(authorized, "keys"),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    private static void AddOption(List<string> argv, string name, string? value)
    {
        if (value is not null) argv.AddRange(["-o", $"{name}={value}"]);
    }

    private static string Config(SshdOptions options, string directory, int port, IReadOnlyList<string> hostKeyPaths)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"ListenAddress 127.0.0.1\nPort {port}\n");
        foreach (var path in hostKeyPaths) text.Append(CultureInfo.InvariantCulture, $"HostKey {path}\n");
        text.Append(CultureInfo.InvariantCulture, $"PidFile {Path.Combine(directory, "sshd.pid")}\n");
        text.Append(CultureInfo.InvariantCulture, $"AllowUsers {options.User}\n");
        text.Append("PermitRootLogin no\n");
        text.Append("PubkeyAuthentication yes\n");
        text.Append("PasswordAuthentication yes\n");
        text.Append("KbdInteractiveAuthentication yes\n");
        text.Append(CultureInfo.InvariantCulture, $"UsePAM {(options.UsePam ? "yes" : "no")}\n");
        // The directory lives under /tmp (mode 1777), which StrictModes would refuse for the authorized keys.
        text.Append("StrictModes no\n");
        text.Append(CultureInfo.InvariantCulture, $"AuthorizedKeysFile {Path.Combine(directory, "authorized", "keys")}\n");
        text.Append(CultureInfo.InvariantCulture, $"Subsystem sftp {SftpServer}\n");
        text.Append(CultureInfo.InvariantCulture, $"LogLevel {options.LogLevel}\n");
        // Many tests connect at once: do not drop unauthenticated connections early.
        text.Append("MaxStartups 100\nMaxAuthTries 20\n");
        text.Append("PrintMotd no\nPrintLastLog no\nUseDNS no\nX11Forwarding no\n");
        return text.ToString();
    }

    private static async Task<SshHostKey> ReadHostKeyAsync(string publicKeyPath)
    {
        var fields = (await File.ReadAllTextAsync(publicKeyPath).ConfigureAwait(false)).Trim().Split(' ');
        if (fields.Length < 2) throw new InvalidOperationException($"{publicKeyPath} is not a public key line");
        var fingerprint = await FingerprintAsync(publicKeyPath).ConfigureAwait(false);
        return new SshHostKey(fields[0], Convert.FromBase64String(fields[1]), fingerprint, publicKeyPath);
    }

    /// <summary>The SHA-256 fingerprint of the key in a file, as <c>ssh-keygen -lf</c> prints it (<c>SHA256:...</c>).</summary>
    public static async Task<string> FingerprintAsync(string publicKeyPath)
    {
        var output = (await ProcessRunner.RunAsync("ssh-keygen", "-E", "sha256", "-lf", publicKeyPath).ConfigureAwait(false))
            .EnsureSuccess().StandardOutputText;
        // "256 SHA256:base64 comment (ED25519)"
        var fields = output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2 || !fields[1].StartsWith("SHA256:", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"unexpected ssh-keygen -lf output: {output}");
        }
        return fields[1];
    }
}
