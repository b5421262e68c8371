using System.Net.WebSockets;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Ssh;
using Oriel.Tdp;
using Oriel.TestPeers;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>
/// SSH terminal sessions through the real gateway (its <see cref="SshProtocol"/> and SSH client) to a real OpenSSH sshd on
/// loopback, driven by a C# TDP client over the gateway's WebSocket as the browser's terminal would: commands and their
/// output, the pseudo-terminal's size, the exit, prompts answered by typing, host key pinning on first use and a changed
/// key refused, a killed and a frozen server, and the output window held by a browser that does not acknowledge.
/// </summary>
public sealed class SshSessionTests
{
    private const string Passphrase = "correct horse";

    [Fact(Timeout = 120_000)]
    public async Task A_shell_runs_commands_follows_resizes_and_its_exit_status_ends_the_session()
    {
        await using var sshd = await SshdServer.StartAsync();
        var key = await sshd.CreateClientKeyAsync(Passphrase);
        await using var gw = await SshTestGateway.StartAsync(new SshSessionTarget("127.0.0.1", sshd.Port, sshd.User)
        {
            PrivateKey = key.ReadPrivateKey(),
            PrivateKeyPassphrase = Passphrase,
        });
        await using var terminal = await gw.OpenTerminalAsync(100, 30);

        await terminal.TypeAsync("echo $((6*7))\r"); // typed ahead, before the shell exists: it runs once it does
        var at = await WithServerLogAsync(terminal.WaitForOutputAsync("42\r\n"), sshd);
        await terminal.TypeAsync("stty size\r");
        at = await terminal.WaitForOutputAsync("30 100\r\n", at);
        await terminal.SendAsync(new TerminalResizeMessage(120, 40, 1200, 800));
        await terminal.TypeAsync("stty size\r");
        await terminal.WaitForOutputAsync("40 120\r\n", at);

        // The first key seen was pinned, by this user; the file panel may reach this session with exactly that key.
        var pinned = Assert.Single(gw.Pins.Pinned);
        Assert.Equal((SshTestAccess.TargetId, SshTestGateway.User), (pinned.TargetId, pinned.Actor));
        Assert.Contains(pinned.Key.FingerprintSha256, sshd.HostKeys.Select(k => k.Sha256Fingerprint));
        var live = gw.LiveSession;
        var files = gw.Get<ISshFileAccessRegistry>().Find(live.Id);
        Assert.NotNull(files);
        Assert.Equal((live.UserId, SshTestAccess.TargetId, true, false), (files.UserId, files.TargetId, files.MayDownload, files.MayUpload));
        Assert.Equal((sshd.Port, sshd.User, Passphrase), (files.Request.Port, files.Request.Username, files.Request.Credentials.PrivateKeyPassphrase));
        Assert.True(files.Request.AcceptHostKey(pinned.Key));
        Assert.False(files.Request.AcceptHostKey(pinned.Key with { FingerprintSha256 = "SHA256:" + new string('A', 43) }));
        Assert.Null(files.Request.Prompter);

        await terminal.TypeAsync("exit 3\r");
        await terminal.WaitForCloseAsync();

        var exit = Assert.Single(terminal.Others.OfType<TerminalExitMessage>());
        Assert.Equal((TerminalExitKind.Exited, 3u, ""), (exit.Kind, exit.ExitStatus, exit.Signal));
        Assert.Equal("The remote shell exited with status 3.", exit.Message);
        Assert.Equal((WebSocketCloseStatus.NormalClosure, "The remote shell exited with status 3."), (terminal.CloseStatus, terminal.CloseDescription));
        var end = await gw.WaitForAuditAsync(AuditKinds.SessionEnd);
        var details = end.Details!;
        Assert.Equal(("ssh", "target-closed", "The remote shell exited with status 3."),
            (details["protocol"]!.GetValue<string>(), details["reason"]!.GetValue<string>(), details["message"]!.GetValue<string>()));
        Assert.Equal((sshd.User, pinned.Key.ToString(), 3), (details["login"]!.GetValue<string>(), details["hostKey"]!.GetValue<string>(), details["exitStatus"]!.GetValue<int>()));
        Assert.False(string.IsNullOrEmpty(details["cipher"]!.GetValue<string>()));
        Assert.Null(gw.Get<ISshFileAccessRegistry>().Find(live.Id)); // unregistered as the session ended
        var protocol = gw.Get<Oriel.Gateway.Sessions.ProtocolRegistry>().Find("ssh");
        Assert.NotNull(protocol);
        Assert.Equal(("SSH", Oriel.Gateway.Sessions.SessionMedium.Terminal), (protocol.DisplayName, protocol.Medium));
        Assert.Equal([Oriel.Gateway.Sessions.SessionKinds.Rendered], protocol.SessionKinds);
    }

    [Fact(Timeout = 120_000)]
    public async Task Keyboard_interactive_prompts_are_answered_by_typing_in_the_terminal_without_echo_and_as_secret_input()
    {
        // Only keyboard-interactive: the prompt is PAM's own.
        await using var sshd = await SshdServer.StartAsync(new SshdOptions { ExtraOptions = ["PasswordAuthentication=no"] });
        await using var gw = await SshTestGateway.StartAsync(new SshSessionTarget("127.0.0.1", sshd.Port, sshd.User) { BrowserAuthPrompts = true, FileUpload = true });
        await using var terminal = await gw.OpenTerminalAsync();

        var at = await WithServerLogAsync(terminal.WaitForOutputAsync("Password: "), sshd);
        var password = SshdServer.Password;
        // A typo rubbed out with DEL, an arrow key (ignored), then the rest and Enter, over several messages as typed.
        await terminal.TypeAsync(password[..3] + "x");
        await terminal.TypeAsync("\x7f\x1b[D");
        await terminal.TypeAsync(password[3..] + "\r");
        at = await terminal.WaitForOutputAsync("\r\n", at);
        await terminal.TypeAsync("echo $((6*7))\r");
        await terminal.WaitForOutputAsync("42\r\n", at);

        Assert.DoesNotContain(password, terminal.OutputText, StringComparison.Ordinal); // not echoed
        Assert.Contains($"Accepted keyboard-interactive/pam for {sshd.User}", sshd.Log, StringComparison.Ordinal);
        var observer = Assert.Single(gw.Observers.Opened);
        Assert.Equal([true, false], observer.Changes);
        var inputs = observer.Inputs;
        Assert.All(inputs.Take(3), i => Assert.True(i.Secret, "the typed password was not marked secret"));
        Assert.False(inputs.Single(i => i.Text.StartsWith("echo", StringComparison.Ordinal)).Secret);
        // The typed password is what the file panel's own connection will use, in memory only.
        var files = gw.Get<ISshFileAccessRegistry>().Find(gw.LiveSession.Id);
        Assert.NotNull(files);
        Assert.Equal((password, true, true), (files.Request.Credentials.Password, files.MayDownload, files.MayUpload));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_prompt_cancelled_with_ctrl_c_ends_the_session_as_a_failed_login()
    {
        await using var sshd = await SshdServer.StartAsync();
        await using var gw = await SshTestGateway.StartAsync(new SshSessionTarget("127.0.0.1", sshd.Port, sshd.User) { BrowserAuthPrompts = true });
        await using var terminal = await gw.OpenTerminalAsync();

        await terminal.WaitForOutputAsync("assword: ");
        await terminal.TypeAsync("abc\x03");
        await terminal.WaitForCloseAsync();

        var sentence = $"The login {sshd.User} to the SSH server was cancelled at its prompt.";
        Assert.Equal(new NotificationMessage(sentence, Severity.Error), terminal.Others.OfType<NotificationMessage>().Last());
        Assert.Contains("^C\r\n", terminal.OutputText, StringComparison.Ordinal);
        var end = await gw.WaitForAuditAsync(AuditKinds.SessionEnd);
        Assert.Equal(("target-authentication-failed", sentence), (end.Details!["reason"]!.GetValue<string>(), end.Details["message"]!.GetValue<string>()));
        var failed = await gw.WaitForAuditAsync(SshAuditKinds.AuthFailed);
        Assert.True(failed.Details!["cancelled"]!.GetValue<bool>());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_wrong_vault_password_without_browser_prompts_is_refused_and_audited_with_the_methods_tried()
    {
        await using var sshd = await SshdServer.StartAsync();
        await using var gw = await SshTestGateway.StartAsync(new SshSessionTarget("127.0.0.1", sshd.Port, sshd.User) { Password = "not-the-password" });
        await using var terminal = await gw.OpenTerminalAsync();

        await terminal.WaitForCloseAsync(60);

        var notice = terminal.Others.OfType<NotificationMessage>().Last();
        Assert.StartsWith($"The SSH server refused the login {sshd.User}: ", notice.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", notice.Message, StringComparison.Ordinal);
        var failed = await gw.WaitForAuditAsync(SshAuditKinds.AuthFailed);
        Assert.Equal((SshTestGateway.User, SshTestAccess.TargetId, sshd.User), (failed.Actor, failed.Target, failed.Details!["login"]!.GetValue<string>()));
        Assert.Equal(["password", "keyboard-interactive"], failed.Details["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
        var end = await gw.WaitForAuditAsync(AuditKinds.SessionEnd);
        Assert.Equal("target-authentication-failed", end.Details!["reason"]!.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task The_first_host_key_is_pinned_and_a_changed_key_is_refused_with_the_sentence_and_an_audit_event()
    {
        var sshd = await SshdServer.StartAsync();
        SshTestGateway? gw = null;
        try
        {
            gw = await SshTestGateway.StartAsync(new SshSessionTarget("127.0.0.1", sshd.Port, sshd.User) { Password = SshdServer.Password });
            await using (var first = await gw.OpenTerminalAsync())
            {
                await first.TypeAsync("echo $((6*7))\r");
                await first.WaitForOutputAsync("42\r\n");
                await first.TypeAsync("exit\r");
                await first.WaitForCloseAsync();
            }
            var pin = Assert.Single(gw.Pins.PinsOf(SshTestAccess.TargetId));
            Assert.Contains(pin, sshd.HostKeys.Select(k => k.Sha256Fingerprint));

            // Pinned and equal: trusted, nothing more pinned.
            await using (var again = await gw.OpenTerminalAsync())
            {
                await again.TypeAsync("exit 0\r");
                await again.WaitForCloseAsync();
                Assert.Equal("The remote shell exited with status 0.", again.CloseDescription);
            }
            Assert.Single(gw.Pins.Pinned);

            // The same target's server comes back with other host keys.
            await sshd.DisposeAsync();
            sshd = await SshdServer.StartAsync();
            gw.Access.Target = gw.Access.Target! with { Port = sshd.Port };
            await using var second = await gw.OpenTerminalAsync();
            await second.WaitForCloseAsync();

            var mismatch = await gw.WaitForAuditAsync(SshAuditKinds.HostKeyMismatch);
            var presented = mismatch.Details!["presented"]!.GetValue<string>();
            Assert.Contains(presented, sshd.HostKeys.Select(k => k.Sha256Fingerprint));
            Assert.Equal([pin], mismatch.Details["pinned"]!.AsArray().Select(p => p!.GetValue<string>()));
            Assert.Equal((SshTestGateway.User, SshTestAccess.TargetId), (mismatch.Actor, mismatch.Target));
            var sentence = $"The server's host key has changed: it presented {presented}, and this target is pinned to {pin} . An administrator must confirm the new key before anyone can connect.";
            Assert.Equal(new NotificationMessage(sentence, Severity.Error), second.Others.OfType<NotificationMessage>().Last());
            var end = await gw.WaitForAuditAsync(AuditKinds.SessionEnd, count: 3);
            Assert.Equal(("target-authentication-failed", sentence), (end.Details!["reason"]!.GetValue<string>(), end.Details["message"]!.GetValue<string>()));
            Assert.Single(gw.Pins.Pinned); // nothing new was pinned

            // No pin and trust on first use off: refused, naming the key to pin.
            gw.Pins.Forget(SshTestAccess.TargetId);
            gw.Access.Target = gw.Access.Target with { TrustOnFirstUse = false };
            await using var third = await gw.OpenTerminalAsync();
            await third.WaitForCloseAsync();
            var notice = third.Others.OfType<NotificationMessage>().Last().Message;
            var key = sshd.HostKeys.Single(k => notice.Contains(k.Sha256Fingerprint, StringComparison.Ordinal));
            Assert.Equal(
                $"This target has no pinned host key and does not trust a key on first use: the server presented {key.Sha256Fingerprint} ({key.Algorithm}). An administrator must pin it before anyone can connect.",
                notice.Replace("(rsa-sha2-512)", "(ssh-rsa)", StringComparison.Ordinal).Replace("(rsa-sha2-256)", "(ssh-rsa)", StringComparison.Ordinal));
            Assert.Single(gw.Pins.Pinned);
            Assert.Empty(gw.Pins.PinsOf(SshTestAccess.TargetId));
        }
        finally
        {
            if (gw is not null)
            {
                await gw.DisposeAsync();
            }
            await sshd.DisposeAsync();
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_killed_server_ends_the_session_as_closed_with_a_sentence()
    {
        await using var sshd = await SshdServer.StartAsync();
        await using var gw = await SshTestGateway.StartAsync(new SshSessionTarget("127.0.0.1", sshd.Port, sshd.User) { Password = SshdServer.Password });
        await using var terminal = await gw.OpenTerminalAsync();
        await terminal.TypeAsync("echo $((6*7))\r");
        await terminal.WaitForOutputAsync("42\r\n");

        await sshd.KillAsync();
        await terminal.WaitForCloseAsync();

        var exit = Assert.Single(terminal.Others.OfType<TerminalExitMessage>());
        Assert.Equal(TerminalExitKind.Unknown, exit.Kind);
        Assert.False(string.IsNullOrWhiteSpace(exit.Message));
        var end = await gw.WaitForAuditAsync(AuditKinds.SessionEnd);
        Assert.Equal(("target-closed", exit.Message), (end.Details!["reason"]!.GetValue<string>(), end.Details["message"]!.GetValue<string>()));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, terminal.CloseStatus);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_frozen_server_ends_the_session_as_unresponsive_after_the_liveness_deadline()
    {
        await using var sshd = await SshdServer.StartAsync();
        await using var gw = await SshTestGateway.StartAsync(new SshSessionTarget("127.0.0.1", sshd.Port, sshd.User) { Password = SshdServer.Password });
        await using var terminal = await gw.OpenTerminalAsync();
        await terminal.TypeAsync("echo $((6*7))\r");
        await terminal.WaitForOutputAsync("42\r\n");

        // SIGSTOP the listener and every process it started: the connection's own sshd no longer answers anything.
        sshd.SuspendSessions();
        await terminal.WaitForCloseAsync();

        var sentence = "The SSH server stopped responding: it did not answer a check within 3 s. It may have hung, or the network to it may have failed.";
        Assert.Equal(new NotificationMessage(sentence, Severity.Error), terminal.Others.OfType<NotificationMessage>().Last());
        var end = await gw.WaitForAuditAsync(AuditKinds.SessionEnd);
        Assert.Equal(("target-unresponsive", sentence), (end.Details!["reason"]!.GetValue<string>(), end.Details["message"]!.GetValue<string>()));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_browser_that_does_not_acknowledge_stops_the_output_at_the_window_and_an_ack_resumes_it()
    {
        const int Window = 64 * 1024;
        await using var sshd = await SshdServer.StartAsync();
        await using var gw = await SshTestGateway.StartAsync(new SshSessionTarget("127.0.0.1", sshd.Port, sshd.User) { Password = SshdServer.Password }, Window);
        await using var terminal = await gw.OpenTerminalAsync();
        await terminal.TypeAsync("echo $((6*7))\r");
        await terminal.WaitForOutputAsync("42\r\n");
        await Task.Delay(200); // the shell's prompt
        terminal.AutoAcknowledge = false;
        await terminal.AcknowledgeAsync();
        var before = terminal.OutputBytes;

        await terminal.TypeAsync("yes\r");
        await WaitUntilAsync(() => terminal.OutputBytes - before >= Window, "the window's worth of output");
        // Held for longer than the liveness deadline: the gateway does not read, so the unanswered time does not count.
        await Task.Delay(SshTestGateway.Timeouts.TargetSilenceBeforeProbe + SshTestGateway.Timeouts.TargetProbeAnswer + TimeSpan.FromSeconds(1));
        Assert.Equal(before + Window, terminal.OutputBytes);
        Assert.False(terminal.Closed, $"the session ended: {terminal.CloseDescription}");

        await terminal.AcknowledgeAsync();
        await WaitUntilAsync(() => terminal.OutputBytes > before + Window, "more output after the ack");
        Assert.True(terminal.OutputBytes <= before + 2 * Window);

        terminal.AutoAcknowledge = true;
        await terminal.AcknowledgeAsync();
        await terminal.TypeAsync("\x03");
        await terminal.TypeAsync("echo done-$((40+2))\r");
        await terminal.WaitForOutputAsync("done-42", timeoutSeconds: 60);
        Assert.False(terminal.Closed);
    }

    [Fact(Timeout = 120_000)]
    public async Task An_ack_of_more_than_was_sent_ends_the_session_as_a_browser_protocol_error()
    {
        await using var sshd = await SshdServer.StartAsync();
        await using var gw = await SshTestGateway.StartAsync(new SshSessionTarget("127.0.0.1", sshd.Port, sshd.User) { Password = SshdServer.Password });
        await using var terminal = await gw.OpenTerminalAsync();
        await terminal.TypeAsync("echo $((6*7))\r");
        await terminal.WaitForOutputAsync("42\r\n");

        await terminal.SendAsync(new TerminalAckMessage(10_000_000));
        await terminal.WaitForCloseAsync();

        Assert.Equal(WebSocketCloseStatus.ProtocolError, terminal.CloseStatus);
        var end = await gw.WaitForAuditAsync(AuditKinds.SessionEnd);
        Assert.Equal("browser-protocol-error", end.Details!["reason"]!.GetValue<string>());
        Assert.StartsWith("Protocol error: the browser acknowledged 10000000 bytes of terminal output", end.Details["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_target_nobody_listens_at_is_unreachable()
    {
        await using var gw = await SshTestGateway.StartAsync(new SshSessionTarget("127.0.0.1", TestPorts.GetFreePort(), "tester") { Password = "unused" });
        await using var terminal = await gw.OpenTerminalAsync();

        await terminal.WaitForCloseAsync();

        var end = await gw.WaitForAuditAsync(AuditKinds.SessionEnd);
        Assert.Equal("target-unreachable", end.Details!["reason"]!.GetValue<string>());
        Assert.Equal(new NotificationMessage(end.Details["message"]!.GetValue<string>(), Severity.Error), terminal.Others.OfType<NotificationMessage>().Last());
        Assert.Empty(terminal.Others.OfType<TerminalExitMessage>()); // the shell never ran
    }

    [Fact(Timeout = 120_000)]
    public async Task A_server_offering_only_refused_ciphers_ends_the_session_as_a_target_protocol_error()
    {
        await using var sshd = await SshdServer.StartAsync(new SshdOptions { UsePam = false, Ciphers = "aes128-cbc,aes256-cbc" });
        await using var gw = await SshTestGateway.StartAsync(new SshSessionTarget("127.0.0.1", sshd.Port, sshd.User) { Password = SshdServer.Password });
        await using var terminal = await gw.OpenTerminalAsync();

        await terminal.WaitForCloseAsync();

        var end = await gw.WaitForAuditAsync(AuditKinds.SessionEnd);
        Assert.Equal("target-protocol-error", end.Details!["reason"]!.GetValue<string>());
        Assert.Empty(gw.Pins.Pinned);
    }

    /// <summary>Adds sshd's log to a failure, to tell the server's side of it.</summary>
    private static async Task<T> WithServerLogAsync<T>(Task<T> task, SshdServer sshd)
    {
        try
        {
            return await task;
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "\nsshd log:\n" + sshd.Log, ex);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no {what} within {timeoutSeconds} s");
            }
            await Task.Delay(25);
        }
    }
}
