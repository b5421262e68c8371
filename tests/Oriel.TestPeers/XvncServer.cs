using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Oriel.TestPeers;

/// <summary>
/// A TigerVNC Xvnc server (its own X server and VNC server in one process) on a private display
/// and a loopback port, for integration tests. Start with <see cref="StartAsync"/>; dispose to stop.
/// </summary>
public sealed class XvncServer : IAsyncDisposable
{
    private const string SocketDirectory = "/tmp/.X11-unix";
    private const int MaxAttempts = 6;

    private readonly List<ManagedProcess> _clients = [];
    private int _disposed;

    private XvncServer(XvncOptions options, ManagedProcess process, int display, int port, string directory, TestCertificate? certificate)
    {
        Options = options;
        Process = process;
        Display = display;
        Port = port;
        WorkDirectory = directory;
        Certificate = certificate;
    }

    public XvncOptions Options { get; }

    /// <summary>The Xvnc process (its recent output explains failures).</summary>
    public ManagedProcess Process { get; }

    /// <summary>The X display number N (clients use DISPLAY=:N).</summary>
    public int Display { get; }

    /// <summary>The value for DISPLAY.</summary>
    public string DisplayName => string.Create(CultureInfo.InvariantCulture, $":{Display}");

    /// <summary>The RFB port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>This server's private directory (password file, certificate, HOME of its X clients).</summary>
    public string WorkDirectory { get; }

    /// <summary>The server certificate, when an X509 security type is offered.</summary>
    public TestCertificate? Certificate { get; }

    /// <summary>SHA-256 of the server certificate (for pinning), when an X509 security type is offered.</summary>
    public byte[]? CertificateSha256 => Certificate?.Sha256;

    /// <summary>Starts Xvnc and waits until its RFB port accepts connections and its X socket exists.</summary>
    public static async Task<XvncServer> StartAsync(XvncOptions? options = null)
    {
        options ??= new XvncOptions();
        var directory = TestDirs.Create("xvnc");
        var security = options.Security;
        if (security.Count == 0) throw new ArgumentException("at least one security type is needed", nameof(options));
        var args = new List<string>();
        if (security.Any(s => s is XvncSecurity.VncAuth or XvncSecurity.TLSVnc or XvncSecurity.X509Vnc))
        {
            var passwordFile = Path.Combine(directory, "passwd");
            var result = await ProcessRunner.RunAsync(["vncpasswd", "-f"], standardInput: Encoding.UTF8.GetBytes(options.VncPassword + "\n"))
                .ConfigureAwait(false);
            result.EnsureSuccess();
            await File.WriteAllBytesAsync(passwordFile, result.StandardOutput).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            args.AddRange(["-PasswordFile", passwordFile]);
        }
        TestCertificate? certificate = null;
        if (security.Any(s => s is XvncSecurity.X509None or XvncSecurity.X509Vnc or XvncSecurity.X509Plain))
        {
            certificate = TestCertificate.Create(Path.Combine(directory, "tls"));
            args.AddRange(["-X509Cert", certificate.CertificatePath, "-X509Key", certificate.KeyPath]);
        }
        if (security.Any(s => s is XvncSecurity.Plain or XvncSecurity.TLSPlain or XvncSecurity.X509Plain))
        {
            await TestUnixUser.EnsureAsync(options.PlainUser, options.PlainPassword).ConfigureAwait(false);
            args.AddRange(["-PlainUsers", options.PlainUser]);
        }
        args.AddRange([
            "-interface", "127.0.0.1",
            "-nolisten", "tcp",
            "-geometry", string.Create(CultureInfo.InvariantCulture, $"{options.Width}x{options.Height}"),
            "-depth", options.Depth.ToString(CultureInfo.InvariantCulture),
            "-UseBlacklist=0",
            "-SecurityTypes", string.Join(',', security),
            "-desktop", options.DesktopName,
        ]);
        args.AddRange(options.ExtraArguments);

        Exception? last = null;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var display = PickDisplay();
            var port = TestPorts.GetFreePort();
            List<string> argv = ["Xvnc", string.Create(CultureInfo.InvariantCulture, $":{display}"), "-rfbport", port.ToString(CultureInfo.InvariantCulture), .. args];
            var process = ManagedProcess.Start(argv, new Dictionary<string, string?> { ["HOME"] = directory }, directory);
            try
            {
                await process.WaitForPortAsync(port, options.StartTimeout).ConfigureAwait(false);
                await WaitForXSocketAsync(process, display, options.StartTimeout).ConfigureAwait(false);
                return new XvncServer(options, process, display, port, directory, certificate);
            }
            catch (InvalidOperationException e)
            {
                // Lost a race for the display or the port with another test: try other numbers.
                last = e;
                await process.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await process.DisposeAsync().ConfigureAwait(false);
                certificate?.Dispose();
                throw;
            }
        }
        certificate?.Dispose();
        throw new InvalidOperationException($"Xvnc did not start in {MaxAttempts} attempts", last);
    }

    /// <summary>Environment for X clients of this server.</summary>
    public IReadOnlyDictionary<string, string?> ClientEnvironment => new Dictionary<string, string?>
    {
        ["DISPLAY"] = DisplayName,
        ["HOME"] = WorkDirectory,
        ["XAUTHORITY"] = null,
    };

    /// <summary>Starts a long-running X client (xterm, xclock) on this display; it is stopped with the server.</summary>
    public Task<ManagedProcess> RunXClientAsync(string program, params string[] args)
    {
        var client = ManagedProcess.Start([program, .. args], ClientEnvironment, WorkDirectory);
        lock (_clients) _clients.Add(client);
        return Task.FromResult(client);
    }

    /// <summary>Runs an X command to completion (xsetroot -solid red); throws if it fails.</summary>
    public async Task<ProcessResult> RunXCommandAsync(string program, params string[] args)
    {
        var result = await ProcessRunner.RunAsync([program, .. args], ClientEnvironment, timeout: TimeSpan.FromSeconds(30), workingDirectory: WorkDirectory)
            .ConfigureAwait(false);
        return result.EnsureSuccess();
    }

    /// <summary>
    /// Reads the whole screen back with <c>xwd -root</c>. A capture that races the screen changing size fails with
    /// BadMatch (GetImage of the old size); it is taken again, up to three times.
    /// </summary>
    public async Task<XImage> CaptureScreenAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await RunXCommandAsync("xwd", "-root", "-silent", "-display", DisplayName).ConfigureAwait(false);
                return XwdReader.Read(result.StandardOutput);
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("BadMatch", StringComparison.Ordinal))
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        ManagedProcess[] clients;
        lock (_clients) clients = [.. _clients];
        foreach (var client in clients)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
        var pid = Process.Id;
        await Process.DisposeAsync().ConfigureAwait(false);
        RemoveStaleLock(Display, pid);
        Certificate?.Dispose();
    }

    private static string LockPath(int display) => string.Create(CultureInfo.InvariantCulture, $"/tmp/.X{display}-lock");

    private static string SocketPath(int display) => string.Create(CultureInfo.InvariantCulture, $"{SocketDirectory}/X{display}");

    private static int PickDisplay()
    {
        for (var i = 0; i < 1000; i++)
        {
            var n = Random.Shared.Next(100, 1000);
            if (!File.Exists(LockPath(n)) && !File.Exists(SocketPath(n))) return n;
        }
        throw new InvalidOperationException("no free X display number between 100 and 999");
    }

    private static async Task WaitForXSocketAsync(ManagedProcess process, int display, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Xvnc exited with code {process.ExitCode}. Output:\n{process.RecentOutput}");
            }
            if (File.Exists(SocketPath(display)))
            {
                using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath(display))).ConfigureAwait(false);
                    return;
                }
                catch (SocketException)
                {
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Xvnc display :{display} did not appear. Output:\n{process.RecentOutput}");
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>Xvnc removes its lock and socket on SIGTERM; after a SIGKILL they stay, so remove them if they are ours.</summary>
    private static void RemoveStaleLock(int display, int pid)
    {
        try
        {
            var lockPath = LockPath(display);
            if (File.Exists(lockPath) &&
                int.TryParse(File.ReadAllText(lockPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var owner) &&
                owner == pid)
            {
                File.Delete(SocketPath(display));
                File.Delete(lockPath);
            }
        }
        catch (IOException)
        {
        }
    }
}
