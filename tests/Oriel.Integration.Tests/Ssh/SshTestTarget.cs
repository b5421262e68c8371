using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Oriel.Gateway.Ssh;
using Oriel.TestPeers;
using SshHostKey = Oriel.Gateway.Ssh.SshHostKey;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>Helpers for the SSH client tests: requests to an <see cref="SshdServer"/>, and reading a terminal.</summary>
internal static class SshTestTarget
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static SshNetConnector Connector(int outputBufferBytes = SshNetTerminal.DefaultOutputBufferBytes) =>
        new(NullLoggerFactory.Instance) { OutputBufferBytes = outputBufferBytes };

    /// <summary>A request as the tester, trusting exactly the server's host key of the negotiated type.</summary>
    public static SshConnectRequest Request(SshdServer server, SshCredentials credentials, ISshAuthPrompter? prompter = null) =>
        new("127.0.0.1", server.Port, server.User, credentials, key => PinnedBy(server, key))
        {
            Prompter = prompter,
            ConnectTimeout = TimeSpan.FromSeconds(20),
        };

    public static SshCredentials Password() => new(SshdServer.Password, null, null);

    /// <summary>True when <paramref name="key"/> is one of the server's host keys (by the fingerprint ssh-keygen printed).</summary>
    public static bool PinnedBy(SshdServer server, SshHostKey key) =>
        server.HostKeys.Any(k => k.Sha256Fingerprint == key.FingerprintSha256);

    public static Task<ISshConnection> ConnectAsync(SshdServer server, SshCredentials credentials, ISshAuthPrompter? prompter = null)
    {
        using var cts = new CancellationTokenSource(Patience);
        return Connector().ConnectAsync(Request(server, credentials, prompter), cts.Token);
    }

    public static async Task<ISshTerminal> OpenAsync(ISshConnection connection, int columns = 80, int rows = 24)
    {
        using var cts = new CancellationTokenSource(Patience);
        return await connection.OpenTerminalAsync(new SshPtyRequest("xterm-256color", columns, rows, 0, 0), cts.Token);
    }

    public static async Task TypeAsync(ISshTerminal terminal, string text)
    {
        using var cts = new CancellationTokenSource(Patience);
        await terminal.WriteAsync(Encoding.UTF8.GetBytes(text), cts.Token);
    }

    /// <summary>Reads output until it contains <paramref name="expected"/>; returns everything read.</summary>
    public static async Task<string> ReadUntilAsync(ISshTerminal terminal, string expected, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Patience);
        var text = new StringBuilder();
        var buffer = new byte[8192];
        while (!text.ToString().Contains(expected, StringComparison.Ordinal))
        {
            int n;
            try
            {
                n = await terminal.ReadAsync(buffer, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no \"{expected}\" in the terminal's output: {text}");
            }
            if (n == 0) throw new EndOfStreamException($"the terminal closed before \"{expected}\": {text}");
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        return text.ToString();
    }

    /// <summary>Reads until the channel closes (ReadAsync returns 0); returns what was read.</summary>
    public static async Task<string> ReadToEndAsync(ISshTerminal terminal)
    {
        using var cts = new CancellationTokenSource(Patience);
        var text = new StringBuilder();
        var buffer = new byte[8192];
        int n;
        while ((n = await terminal.ReadAsync(buffer, cts.Token)) > 0) text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        return text.ToString();
    }
}
