using System.Globalization;
using Oriel.Gateway.Ssh;
using Oriel.TestPeers;
using SshHostKey = Oriel.Gateway.Ssh.SshHostKey;
using static Oriel.Integration.Tests.Ssh.SshTestTarget;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>Oriel's SSH client (SSH.NET) against a real OpenSSH sshd: authentication, host keys and algorithms.</summary>
public sealed class SshNetConnectorTests
{
    [Fact(Timeout = 60_000)]
    public async Task A_vault_password_logs_in_with_password_auth_and_runs_a_shell()
    {
        await using var server = await SshdServer.StartAsync();
        await using var connection = await ConnectAsync(server, Password());

        Assert.Equal("password", connection.Info.AuthenticationMethod);
        Assert.StartsWith("SSH-2.0-OpenSSH", connection.Info.ServerVersion, StringComparison.Ordinal);
        await using var terminal = await OpenAsync(connection);
        await TypeAsync(terminal, "echo $((6*7))\n");
        await ReadUntilAsync(terminal, "42\r\n");
    }

    [Fact(Timeout = 60_000)]
    public async Task Keyboard_interactive_prompts_are_answered_from_the_vault()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { ExtraOptions = ["PasswordAuthentication=no"] });
        await using var connection = await ConnectAsync(server, Password());

        Assert.Equal("keyboard-interactive", connection.Info.AuthenticationMethod);
        await LogShowsAsync(server, $"Accepted keyboard-interactive/pam for {server.User}");
    }

    [Fact(Timeout = 60_000)]
    public async Task Keyboard_interactive_prompts_go_to_the_prompter_when_the_vault_has_no_password()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { ExtraOptions = ["PasswordAuthentication=no"] });
        var prompter = new ScriptedPrompter(SshdServer.Password);
        await using var connection = await ConnectAsync(server, SshCredentials.None, prompter);

        Assert.Equal("keyboard-interactive", connection.Info.AuthenticationMethod);
        var question = Assert.Single(prompter.Asked.SelectMany(p => p.Questions));
        Assert.Contains("password", question.Text, StringComparison.OrdinalIgnoreCase);
        Assert.False(question.Echo);
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_a_vault_password_password_auth_asks_the_prompter_once()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { ExtraOptions = ["KbdInteractiveAuthentication=no"] });
        var prompter = new ScriptedPrompter(SshdServer.Password);
        await using var connection = await ConnectAsync(server, SshCredentials.None, prompter);

        Assert.Equal("password", connection.Info.AuthenticationMethod);
        var prompt = Assert.Single(prompter.Asked);
        Assert.Equal(new SshAuthQuestion($"{server.User}@127.0.0.1's password: ", false), Assert.Single(prompt.Questions));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_cancelled_prompt_fails_authentication()
    {
        await using var server = await SshdServer.StartAsync();
        var prompter = new ScriptedPrompter(null);

        var failure = await Assert.ThrowsAsync<SshFailure>(() => ConnectAsync(server, SshCredentials.None, prompter));

        Assert.Equal(SshFailureKind.AuthenticationFailed, failure.Kind);
        Assert.NotEmpty(prompter.Asked);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_wrong_password_fails_authentication_with_a_sentence()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });

        var failure = await Assert.ThrowsAsync<SshFailure>(() => ConnectAsync(server, new SshCredentials("not the password", null, null)));

        Assert.Equal(SshFailureKind.AuthenticationFailed, failure.Kind);
        Assert.Equal($"The SSH server at 127.0.0.1:{server.Port} refused the login for {server.User}.", failure.Message);
        Assert.DoesNotContain("not the password", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unencrypted_rsa_key_logs_in_with_publickey_and_sha2_signatures()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false, ExtraOptions = ["PubkeyAcceptedAlgorithms=rsa-sha2-512,rsa-sha2-256,ssh-ed25519"] });
        var path = Path.Combine(server.WorkDirectory, "client_rsa");
        (await ProcessRunner.RunAsync("ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-N", "", "-C", "oriel-rsa", "-f", path)).EnsureSuccess();
        await server.AuthorizeAsync((await File.ReadAllTextAsync(path + ".pub")).Trim());

        await using var connection = await ConnectAsync(server, new SshCredentials(null, await File.ReadAllTextAsync(path), null));

        Assert.Equal("publickey", connection.Info.AuthenticationMethod);
        await LogShowsAsync(server, $"Accepted publickey for {server.User} from 127.0.0.1 port ");
        Assert.Matches(@"Accepted publickey for \S+ from 127\.0\.0\.1 port \d+ ssh2: RSA SHA256:", server.Log);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_passphrase_protected_ed25519_key_logs_in_with_publickey()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        var key = await server.CreateClientKeyAsync(passphrase: "correct horse battery");

        await using var connection = await ConnectAsync(server, new SshCredentials(null, key.ReadPrivateKey(), key.Passphrase));

        Assert.Equal("publickey", connection.Info.AuthenticationMethod);
        await LogShowsAsync(server, "ssh2: ED25519 SHA256:");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_wrong_key_passphrase_fails_with_a_sentence()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        var key = await server.CreateClientKeyAsync(passphrase: "correct horse battery");

        var failure = await Assert.ThrowsAsync<SshFailure>(() => ConnectAsync(server, new SshCredentials(null, key.ReadPrivateKey(), "wrong")));

        Assert.Equal(SshFailureKind.AuthenticationFailed, failure.Kind);
        Assert.Contains("private key", failure.Message, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("ssh-ed25519", "ssh-ed25519", "ssh-ed25519", 256)]
    [InlineData("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", 256)]
    [InlineData("rsa-sha2-512,rsa-sha2-256,ssh-rsa", "ssh-rsa", "rsa-sha2-512", 3072)]
    public async Task The_host_key_fingerprint_is_what_ssh_keygen_prints(string offered, string keyType, string algorithm, int bits)
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false, HostKeyAlgorithms = offered });
        SshHostKey? seen = null;
        var request = Request(server, Password()) with { AcceptHostKey = key => (seen = key) is not null };
        using var cts = new CancellationTokenSource(Patience);

        await using var connection = await Connector().ConnectAsync(request, cts.Token);

        var expected = server.HostKey(keyType);
        Assert.NotNull(seen);
        Assert.Equal(await SshdServer.FingerprintAsync(expected.PublicKeyPath), seen.FingerprintSha256);
        Assert.Equal(algorithm, seen.Algorithm);
        Assert.NotEqual("ssh-rsa", seen.Algorithm);
        Assert.Equal(bits, seen.Bits);
        Assert.Equal(seen, connection.Info.HostKey);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_refused_host_key_fails_with_the_presented_key()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        var request = Request(server, Password()) with { AcceptHostKey = _ => false };
        using var cts = new CancellationTokenSource(Patience);

        var failure = await Assert.ThrowsAsync<SshFailure>(() => Connector().ConnectAsync(request, cts.Token));

        Assert.Equal(SshFailureKind.HostKeyRefused, failure.Kind);
        Assert.NotNull(failure.PresentedHostKey);
        Assert.Equal("ssh-ed25519", failure.PresentedHostKey.Algorithm);
        Assert.Equal(server.HostKey("ssh-ed25519").Sha256Fingerprint, failure.PresentedHostKey.FingerprintSha256);
        Assert.DoesNotContain($"Accepted password", server.Log, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("aes128-gcm@openssh.com", null, "<implicit>")]
    [InlineData("aes256-gcm@openssh.com", null, "<implicit>")]
    [InlineData("chacha20-poly1305@openssh.com", null, "<implicit>")]
    [InlineData("aes128-ctr", "hmac-sha2-256-etm@openssh.com", "hmac-sha2-256-etm@openssh.com")]
    public async Task A_cipher_forced_on_sshd_is_negotiated(string cipher, string? mac, string expectedMac)
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false, Ciphers = cipher, Macs = mac });
        await using var connection = await ConnectAsync(server, Password());

        Assert.Equal(cipher, connection.Info.CipherClientToServer);
        Assert.Equal(cipher, connection.Info.CipherServerToClient);
        Assert.Equal(expectedMac, connection.Info.MacClientToServer);
        Assert.Equal(expectedMac, connection.Info.MacServerToClient);
        await using var terminal = await OpenAsync(connection);
        await TypeAsync(terminal, "echo $((6*7))\n");
        await ReadUntilAsync(terminal, "42\r\n");
    }

    [Fact(Timeout = 60_000)]
    public async Task With_sshd_defaults_aes128_gcm_and_strict_kex_are_negotiated()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false, LogLevel = "DEBUG2" });
        await using var connection = await ConnectAsync(server, Password());

        Assert.Equal("aes128-gcm@openssh.com", connection.Info.CipherServerToClient);
        Assert.Equal("ssh-ed25519", connection.Info.HostKey.Algorithm);
        // OpenSSH logs the client's KEXINIT proposal at DEBUG2; strict kex is in it.
        await LogShowsAsync(server, "kex-strict-c-v00@openssh.com");
    }

    [Theory(Timeout = 60_000)]
    [InlineData("aes128-cbc,aes256-cbc,3des-cbc", null, "cipher", "aes128-cbc")]
    [InlineData("aes128-ctr", "hmac-sha1,hmac-md5", "MAC", "hmac-sha1")]
    public async Task A_server_offering_only_refused_algorithms_fails_negotiation(string ciphers, string? macs, string what, string offered)
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false, Ciphers = ciphers, Macs = macs });

        var failure = await Assert.ThrowsAsync<SshFailure>(() => ConnectAsync(server, Password()));

        Assert.Equal(SshFailureKind.AlgorithmNegotiation, failure.Kind);
        Assert.Contains(what, failure.Message, StringComparison.Ordinal);
        Assert.Contains(offered, failure.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_closed_port_is_unreachable()
    {
        var port = TestPorts.GetFreePort();
        var request = new SshConnectRequest("127.0.0.1", port, "nobody", Password(), _ => true);
        using var cts = new CancellationTokenSource(Patience);

        var failure = await Assert.ThrowsAsync<SshFailure>(() => Connector().ConnectAsync(request, cts.Token));

        Assert.Equal(SshFailureKind.Unreachable, failure.Kind);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"Could not connect to the SSH server at 127.0.0.1:{port}: the connection was refused."), failure.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_server_that_never_answers_times_out_within_the_connect_timeout()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        server.Suspend(); // the kernel accepts the connection; sshd never sends its banner
        try
        {
            var request = Request(server, Password()) with { ConnectTimeout = TimeSpan.FromSeconds(2) };
            using var cts = new CancellationTokenSource(Patience);

            var failure = await Assert.ThrowsAsync<SshFailure>(() => Connector().ConnectAsync(request, cts.Token));

            Assert.Equal(SshFailureKind.Timeout, failure.Kind);
            Assert.Contains("within 2 seconds", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            server.Resume();
        }
    }

    [Fact]
    public void The_offered_algorithms_start_with_aead_and_name_nothing_refused()
    {
        Assert.Equal(["aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com"], SshNetAlgorithms.Ciphers.Take(3));
        Assert.Equal(["hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com"], SshNetAlgorithms.Macs.Take(2));
        string[] all = [.. SshNetAlgorithms.KeyExchange, .. SshNetAlgorithms.HostKey, .. SshNetAlgorithms.Ciphers, .. SshNetAlgorithms.Macs, .. SshNetAlgorithms.Compression];
        foreach (var refused in new[] { "cbc", "3des", "sha1", "md5", "dss", "group1-", "zlib" })
        {
            Assert.DoesNotContain(all, name => name.Contains(refused, StringComparison.Ordinal));
        }
        Assert.DoesNotContain("ssh-rsa", SshNetAlgorithms.HostKey);
        Assert.Equal(["none"], SshNetAlgorithms.Compression);
    }

    [Fact]
    public void The_bridge_to_SSH_NET_internals_matches_the_pinned_version()
    {
        Assert.StartsWith(SshNetChannelBridge.PinnedVersion, SshNetChannelBridge.LoadedVersion, StringComparison.Ordinal);
        Assert.NotNull(SshNetChannelBridge.Instance); // every member found and compiled
    }

    /// <summary>sshd's log is read from its output pipe as it comes: wait a little for a line.</summary>
    private static async Task LogShowsAsync(SshdServer server, string text)
    {
        for (var i = 0; i < 100 && !server.Log.Contains(text, StringComparison.Ordinal); i++) await Task.Delay(50);
        Assert.Contains(text, server.Log, StringComparison.Ordinal);
    }
}
