using System.Text;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Storage;
using Oriel.Recording;
using Oriel.Tdp;
using Oriel.TestPeers;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>
/// A real SSH session recorded: the gateway (its SSH adapter and client) to a real OpenSSH sshd on loopback, driven by a
/// TDP terminal client as the browser would, with recording required and typed input kept in full. The password typed at
/// the server's prompt (secret input) is not in the file; the output (UTF-8 from the remote shell), the resize and the exit
/// are; Debian's <c>asciinema play</c> plays the file.
/// </summary>
public sealed class TerminalRecordingSshTests
{
    [Fact(Timeout = 120_000)]
    public async Task A_real_ssh_session_is_recorded_as_asciicast_that_asciinema_plays()
    {
        await using var sshd = await SshdServer.StartAsync();
        await using var gw = await SshTestGateway.StartAsync(new SshSessionTarget("127.0.0.1", sshd.Port, sshd.User)
        {
            BrowserAuthPrompts = true,
            Recording = RecordingMode.Required,
            RecordInput = InputRecording.Full,
        });
        await using var terminal = await gw.OpenTerminalAsync(100, 30);

        var at = await terminal.WaitForOutputAsync("assword: ");
        var password = SshdServer.Password;
        await terminal.TypeAsync(password + "\r");
        at = await terminal.WaitForOutputAsync("$ ", at); // the shell's prompt: what is typed now goes to the shell
        var id = gw.LiveSession.Id;
        await terminal.TypeAsync("printf 'h\\303\\251llo \\342\\234\\223 %s\\n' $((6*7))\r");
        at = await terminal.WaitForOutputAsync("héllo ✓ 42\r\n", at);
        await terminal.SendAsync(new TerminalResizeMessage(120, 40, 1200, 800));
        await terminal.TypeAsync("stty size\r");
        at = await terminal.WaitForOutputAsync("40 120\r\n", at);
        await terminal.TypeAsync("exit 3\r");
        await terminal.WaitForCloseAsync();

        var end = await gw.WaitForAuditAsync(AuditKinds.SessionEnd);
        Assert.Equal(id + ".cast", end.Details!["recording"]!.GetValue<string>());
        RecordingRecord? row = null;
        for (var i = 0; i < 200 && row is not { Status: not RecordingStatus.Recording }; i++)
        {
            row = await gw.Get<IOrielStore>().GetRecordingAsync(id, CancellationToken.None);
            await Task.Delay(25);
        }
        var path = gw.Get<RecordingPaths>().Asciicast(id);
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal((RecordingStatus.Complete, "asciicast", "ssh", (long)bytes.Length), (row!.Status, row.Kind, row.Protocol, row.SizeBytes));

        var read = AsciicastReader.ReadAll(bytes);
        Assert.Null(read.TruncatedAt);
        Assert.Equal((100, 30), (read.Header!.Width, read.Header.Height));
        var output = string.Concat(read.Events.Where(e => e.Code == AsciicastEventCode.Output).Select(e => e.Data));
        Assert.Equal(terminal.OutputText, output); // what the browser's terminal was given, the same text
        Assert.Contains("héllo ✓ 42\r\n", output, StringComparison.Ordinal);
        Assert.Contains("40 120\r\n", output, StringComparison.Ordinal);
        Assert.Single(read.Events, e => e is { Code: AsciicastEventCode.Resize, Data: "120x40" });
        Assert.Equal(new AsciicastEvent(read.Events[^1].TimeMicroseconds, AsciicastEventCode.Marker, "The remote shell exited with status 3."), read.Events[^1]);
        var typed = string.Concat(read.Events.Where(e => e.Code == AsciicastEventCode.Input).Select(e => e.Data));
        Assert.Contains("stty size\r", typed, StringComparison.Ordinal);
        Assert.DoesNotContain(password, typed, StringComparison.Ordinal);
        Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(password)) < 0, "the password typed at the prompt is in the recording");

        var played = await ProcessRunner.RunAsync(["asciinema", "play", "--speed", "20", path], timeout: TimeSpan.FromSeconds(60));
        Assert.True(played.ExitCode == 0, $"asciinema play exited {played.ExitCode}: {played.StandardError}");
        Assert.Contains("héllo ✓ 42", Encoding.UTF8.GetString(played.StandardOutput), StringComparison.Ordinal);
    }
}
