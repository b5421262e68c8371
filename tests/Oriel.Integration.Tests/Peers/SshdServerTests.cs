using System.Globalization;
using System.Security.Cryptography;
using Oriel.TestPeers;

namespace Oriel.Integration.Tests.Peers;

/// <summary>The sshd test peer, checked with the OpenSSH client and tools.</summary>
public sealed class SshdServerTests
{
    [Fact(Timeout = 60_000)]
    public async Task Public_key_login_runs_a_command_with_the_host_key_pinned()
    {
        await using var server = await SshdServer.StartAsync();
        var key = await server.CreateClientKeyAsync();

        var result = await RunSshAsync(server, key, verbose: false);

        Assert.True(result.ExitCode == 0, $"ssh failed: {result.StandardError}\nsshd log:\n{server.Log}");
        Assert.Equal("42", result.StandardOutputText.Trim());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_key_that_is_not_authorized_is_refused()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        var key = await server.CreateClientKeyAsync(authorize: false);

        var result = await RunSshAsync(server, key, verbose: false);

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("Permission denied", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_cipher_and_mac_forced_on_sshd_are_what_the_client_negotiates()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions
        {
            Ciphers = "aes256-ctr",
            Macs = "hmac-sha2-512",
            KexAlgorithms = "ecdh-sha2-nistp256",
            HostKeyAlgorithms = "ecdsa-sha2-nistp256",
        });
        var key = await server.CreateClientKeyAsync();

        var result = await RunSshAsync(server, key, verbose: true);

        Assert.True(result.ExitCode == 0, $"ssh failed: {result.StandardError}\nsshd log:\n{server.Log}");
        Assert.Equal("42", result.StandardOutputText.Trim());
        Assert.Contains("kex: algorithm: ecdh-sha2-nistp256", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("kex: host key algorithm: ecdsa-sha2-nistp256", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("kex: server->client cipher: aes256-ctr MAC: hmac-sha2-512 ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("kex: client->server cipher: aes256-ctr MAC: hmac-sha2-512 ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_aead_cipher_forced_on_sshd_is_negotiated()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { Ciphers = "aes256-gcm@openssh.com" });
        var key = await server.CreateClientKeyAsync();

        var result = await RunSshAsync(server, key, verbose: true);

        Assert.True(result.ExitCode == 0, $"ssh failed: {result.StandardError}\nsshd log:\n{server.Log}");
        Assert.Contains("kex: server->client cipher: aes256-gcm@openssh.com MAC: <implicit>", result.StandardError, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Reported_fingerprints_match_ssh_keyscan_and_the_raw_blobs()
    {
        await using var server = await SshdServer.StartAsync();
        Assert.Equal(["ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"], server.HostKeys.Select(k => k.Algorithm));

        foreach (var (type, algorithm) in new[] { ("ed25519", "ssh-ed25519"), ("ecdsa", "ecdsa-sha2-nistp256"), ("rsa", "ssh-rsa") })
        {
            var scan = await ProcessRunner.RunAsync(["ssh-keyscan", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-t", type, "127.0.0.1"], timeout: TimeSpan.FromSeconds(20));
            scan.EnsureSuccess();
            var line = scan.StandardOutputText.Split('\n').Single(l => l.Contains(algorithm, StringComparison.Ordinal));
            var scanned = Path.Combine(server.WorkDirectory, $"scanned_{type}");
            await File.WriteAllTextAsync(scanned, line + "\n");

            var hostKey = server.HostKey(algorithm);
            Assert.Equal(await SshdServer.FingerprintAsync(scanned), hostKey.Sha256Fingerprint);
            // The fingerprint is SHA-256 of the blob, base64 without padding.
            Assert.Equal("SHA256:" + Convert.ToBase64String(SHA256.HashData(hostKey.PublicKeyBlob)).TrimEnd('='), hostKey.Sha256Fingerprint);
            Assert.Equal(Convert.ToBase64String(hostKey.PublicKeyBlob), line.Split(' ')[2]);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Passphrase_protected_client_keys_are_in_openssh_format_and_need_the_passphrase()
    {
        await using var server = await SshdServer.StartAsync();
        var key = await server.CreateClientKeyAsync(passphrase: "correct horse");

        Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----", key.ReadPrivateKey(), StringComparison.Ordinal);
        Assert.True(OperatingSystem.IsLinux(), "sshd tests need Linux");
        if (OperatingSystem.IsLinux()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key.PrivateKeyPath));
        var unlocked = await ProcessRunner.RunAsync("ssh-keygen", "-y", "-P", "correct horse", "-f", key.PrivateKeyPath);
        unlocked.EnsureSuccess();
        Assert.Equal(string.Join(' ', key.PublicKeyLine.Split(' ').Take(2)), unlocked.StandardOutputText.Trim().Split(' ').Take(2).Aggregate((a, b) => a + " " + b));
        var wrong = await ProcessRunner.RunAsync("ssh-keygen", "-y", "-P", "wrong", "-f", key.PrivateKeyPath);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains(key.PublicKeyLine, await File.ReadAllTextAsync(server.AuthorizedKeysPath), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_suspended_sshd_accepts_but_does_not_answer_and_kill_ends_it()
    {
        await using var server = await SshdServer.StartAsync();
        server.Suspend();
        using (var client = new System.Net.Sockets.TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", server.Port);
            var stream = client.GetStream();
            var buffer = new byte[64];
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.ReadAtLeastAsync(buffer, 1, throwOnEndOfStream: true, cts.Token));
        }
        server.Resume();
        await server.KillAsync();
        Assert.True(server.Process.HasExited);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("password")]
    [InlineData("keyboard-interactive")]
    public async Task The_tester_password_logs_in(string method)
    {
        await using var server = await SshdServer.StartAsync();
        // ssh reads a password only from a terminal or SSH_ASKPASS; the script prints it from the environment.
        var askpass = Path.Combine(server.WorkDirectory, "askpass");
        await File.WriteAllTextAsync(askpass, "#!/bin/sh\nprintf '%s\\n' \"$ORIEL_ASKPASS\"\n");
        Assert.True(OperatingSystem.IsLinux(), "sshd tests need Linux");
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(askpass, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var knownHosts = server.WriteKnownHostsFile();
        var result = await ProcessRunner.RunAsync(
            [
                "ssh", "-F", "/dev/null", "-v",
                "-o", $"PreferredAuthentications={method}",
                "-o", "PubkeyAuthentication=no",
                "-o", "NumberOfPasswordPrompts=1",
                "-o", "StrictHostKeyChecking=yes",
                "-o", $"UserKnownHostsFile={knownHosts}",
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "ConnectTimeout=10",
                "-p", server.Port.ToString(CultureInfo.InvariantCulture),
                $"{server.User}@127.0.0.1", "echo $((6*7))",
            ],
            new Dictionary<string, string?>
            {
                ["SSH_ASKPASS"] = askpass,
                ["SSH_ASKPASS_REQUIRE"] = "force",
                ["DISPLAY"] = null,
                ["ORIEL_ASKPASS"] = SshdServer.Password,
            },
            timeout: TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, $"ssh failed: {result.StandardError}\nsshd log:\n{server.Log}");
        Assert.Equal("42", result.StandardOutputText.Trim());
        Assert.Contains($"using \"{method}\"", result.StandardError, StringComparison.Ordinal);
        // With PAM, sshd names the keyboard-interactive device: "keyboard-interactive/pam".
        var logged = method == "keyboard-interactive" ? "keyboard-interactive/pam" : method;
        Assert.Contains($"Accepted {logged} for {server.User}", server.Log, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_sftp_subsystem_serves_files()
    {
        await using var server = await SshdServer.StartAsync();
        var key = await server.CreateClientKeyAsync();
        var knownHosts = server.WriteKnownHostsFile();
        var local = Path.Combine(server.WorkDirectory, "fetched-passwd");

        var result = await ProcessRunner.RunAsync(
            [
                "sftp", "-F", "/dev/null", "-b", "-",
                "-i", key.PrivateKeyPath,
                "-o", "IdentitiesOnly=yes",
                "-o", "StrictHostKeyChecking=yes",
                "-o", $"UserKnownHostsFile={knownHosts}",
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "BatchMode=yes",
                "-P", server.Port.ToString(CultureInfo.InvariantCulture),
                $"{server.User}@127.0.0.1",
            ],
            standardInput: System.Text.Encoding.UTF8.GetBytes($"get /etc/hostname {local}\n"),
            timeout: TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, $"sftp failed: {result.StandardError}\nsshd log:\n{server.Log}");
        Assert.Equal(await File.ReadAllTextAsync("/etc/hostname"), await File.ReadAllTextAsync(local));
    }

    [Fact(Timeout = 60_000)]
    public async Task Disposing_ends_sshd_and_its_open_sessions()
    {
        var server = await SshdServer.StartAsync();
        var key = await server.CreateClientKeyAsync();
        var knownHosts = server.WriteKnownHostsFile();
        // A sleep no other test runs, to look for afterwards.
        var sleep = string.Create(CultureInfo.InvariantCulture, $"sleep 600.{Random.Shared.Next(100_000, 1_000_000)}");
        await using var session = ManagedProcess.Start(
        [
            "ssh", "-F", "/dev/null", "-i", key.PrivateKeyPath, "-o", "IdentitiesOnly=yes",
            "-o", "StrictHostKeyChecking=yes", "-o", $"UserKnownHostsFile={knownHosts}", "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "BatchMode=yes", "-p", server.Port.ToString(CultureInfo.InvariantCulture),
            $"{server.User}@127.0.0.1", $"echo ready; exec {sleep}",
        ]);
        await session.WaitForOutputAsync("ready", TimeSpan.FromSeconds(20));

        await server.DisposeAsync();

        Assert.True(server.Process.HasExited);
        Assert.NotEqual(0, await session.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        var sleeping = await ProcessRunner.RunAsync("pgrep", "-u", server.User, "-f", $"^{sleep}$");
        Assert.Equal(1, sleeping.ExitCode); // no such process left
    }

    private static Task<ProcessResult> RunSshAsync(SshdServer server, SshClientKey key, bool verbose)
    {
        var knownHosts = server.WriteKnownHostsFile();
        List<string> argv =
        [
            "ssh", "-F", "/dev/null",
            "-i", key.PrivateKeyPath,
            "-o", "IdentitiesOnly=yes",
            "-o", "IdentityAgent=none",
            "-o", "StrictHostKeyChecking=yes",
            "-o", $"UserKnownHostsFile={knownHosts}",
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=10",
            "-p", server.Port.ToString(CultureInfo.InvariantCulture),
        ];
        if (verbose) argv.Add("-v");
        argv.AddRange([$"{server.User}@127.0.0.1", "echo $((6*7))"]);
        return ProcessRunner.RunAsync(argv, timeout: TimeSpan.FromSeconds(30));
    }
}
