using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.Tdp;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// One SSH terminal session in the browser (docs/tdp.md, terminal messages 108-112). After the host's TDP handshake it
/// waits for the browser's first terminal size (110), connects through <see cref="ISshConnector"/> with the target's
/// credentials, decides on the server's host key from the target's pins (trust on first use records it), opens a
/// pseudo-terminal and a shell, and then runs four loops until one ends the session:
/// <list type="bullet">
/// <item>output: reads the shell's output only as far as the <see cref="TerminalOutputWindow"/> allows and sends it as
/// terminal output (108); a browser that does not acknowledge (111) stops the reads, which stops the SSH channel and,
/// through TCP, the remote program;</item>
/// <item>input: the browser's terminal input (109) to the shell, through a short queue so that the browser loop never
/// waits on the server;</item>
/// <item>liveness: a request that needs a reply (<see cref="ISshConnection.PingAsync"/>) on the target liveness settings
/// (<see cref="SessionTimeouts"/>), not counting the time the gateway itself holds the connection's reader back;</item>
/// <item>the browser: input, resizes (110, a window-change), acks (111).</item>
/// </list>
/// Before the shell exists the browser's terminal shows the server's authentication prompts, answered by typing
/// (<see cref="ISshAuthPrompter"/>, when the role allows). Every send to the browser is serialised by one gate. There
/// is no desktop surface: the session never calls <see cref="RenderedSessionContext.SurfaceOpened"/>.
/// <para>
/// One limit of acks travelling in the same stream as input: when a paste larger than the input queue (64 messages)
/// goes to a program that stops reading its input because its output is blocked, and the browser's window is full at
/// the same time, the browser loop waits on the queue and cannot read the acks behind the paste until the program reads
/// again. Typing and ordinary pastes never come near it.
/// </para>
/// </summary>
public sealed partial class SshSession : IRenderedSession, ISshAuthPrompter
{
    /// <summary>How long the browser has to say its terminal's size before the pseudo-terminal opens at 80x24.</summary>
    public static readonly TimeSpan FirstResizeWait = TimeSpan.FromSeconds(5);

    /// <summary>The size a pseudo-terminal opens at when the browser has not said its own.</summary>
    public static readonly TerminalResizeMessage DefaultSize = new(80, 24);

    /// <summary>Terminal input messages queued for the shell before the browser loop waits (each at most 64 KiB).</summary>
    private const int InputQueueMessages = 64;

    private readonly RenderedSessionContext _context;
    private readonly ISshConnector _connector;
    private readonly ISshHostKeyStore? _hostKeys;
    private readonly ISshFileAccessRegistry _files;
    private readonly IAuditLog _audit;
    private readonly LiveSession _live;
    private readonly ResolvedTarget _target;
    private readonly SshTargetSettings _settings;
    private readonly SessionPermissions _permissions;
    private readonly ITdpBrowser _browser;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly SessionTimeouts _timeouts;
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly TerminalOutputWindow _window;
    private readonly TaskCompletionSource _firstResize = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<byte[]> _input = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(InputQueueMessages) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stopped = new();
    private TaskCompletionSource? _windowOpened;
    private readonly Lock _sizeLock = new();
    private TerminalResizeMessage _size = DefaultSize;
    private volatile ISshTerminal? _terminal;
    private ISshConnection? _connection;
    private Task? _browserPump;
    private bool _exitSent;
    private bool _registered;

    public SshSession(RenderedSessionContext context, ISshConnector connector, ISshHostKeyStore? hostKeys, ISshFileAccessRegistry files, IAuditLog audit,
        int windowBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _connector = connector;
        _hostKeys = hostKeys;
        _files = files;
        _audit = audit;
        _live = context.Live;
        _target = context.Target;
        _settings = context.Target.SettingsAs<SshTargetSettings>();
        _permissions = context.Permissions;
        _browser = context.Browser;
        _log = context.Log;
        _time = context.Time;
        _timeouts = context.Timeouts;
        _window = new TerminalOutputWindow(windowBytes);
    }

    public async Task RunAsync(ClientScreenSpecMessage initialScreen, RemoteResizeMode resizeMode, CancellationToken ct)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            _browserPump = PumpBrowserAsync();
            var connect = ConnectAsync(run.Token);
            if (await Task.WhenAny(connect, _browserPump).ConfigureAwait(false) != connect)
            {
                await run.CancelAsync().ConfigureAwait(false);
                await ObserveAsync(connect).ConfigureAwait(false);
                await _browserPump.ConfigureAwait(false); // says why: the browser left or broke the protocol
            }
            await connect.ConfigureAwait(false);

            var loops = new[] { PumpOutputAsync(run.Token), PumpInputAsync(run.Token), PumpLivenessAsync(run.Token), WatchConnectionAsync(run.Token) };
            var first = await Task.WhenAny([.. loops, _browserPump]).ConfigureAwait(false);
            await run.CancelAsync().ConfigureAwait(false);
            foreach (var loop in loops)
            {
                if (loop != first)
                {
                    await ObserveAsync(loop).ConfigureAwait(false);
                }
            }
            await first.ConfigureAwait(false);
        }
        finally
        {
            await _stopped.CancelAsync().ConfigureAwait(false);
            _input.Writer.TryComplete();
            if (_registered)
            {
                _files.Unregister(_live.Id);
            }
        }
    }

    /// <summary>Waits for a loop that was cancelled because another ended the session first; that one says why.</summary>
    private static async Task ObserveAsync(Task loop)
    {
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Cancelled because another loop ended first; the first one says why the session ended.
        }
    }

    /// <summary>Adds the login, the host key, the cipher and how the shell ended to the <c>session.end</c> details.</summary>
    public void DescribeEnd(JsonObject details)
    {
        ArgumentNullException.ThrowIfNull(details);
        if (_target.Username is { } login)
        {
            details["login"] = login;
        }
        if (_connection?.Info is { } info)
        {
            details["hostKey"] = info.HostKey.ToString();
            details["cipher"] = info.CipherClientToServer == info.CipherServerToClient
                ? info.CipherServerToClient
                : $"{info.CipherClientToServer} / {info.CipherServerToClient}";
        }
        else if (_presentedKey is { } key)
        {
            details["hostKey"] = key.ToString();
        }
        if (_terminal?.Exit is { } exit)
        {
            if (exit.Signal is not null)
            {
                details["exitSignal"] = exit.Signal;
            }
            else
            {
                details["exitStatus"] = exit.Status ?? 0;
            }
        }
    }

    /// <summary>Sends one message to the browser under the session's gate (every send goes through here).</summary>
    private async ValueTask SendAsync(TdpMessage message, CancellationToken ct)
    {
        await _sendGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _browser.SendAsync(message).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>
    /// Sends bytes as terminal output (108), in messages of at most 64 KiB, each only once the window has room for it.
    /// Used for what the gateway itself writes into the terminal (prompts, echo); the output loop sends the shell's.
    /// </summary>
    private async ValueTask SendOutputAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (data.Length > 0)
        {
            var room = await WaitForWindowAsync(ct).ConfigureAwait(false);
            var n = Math.Min(Math.Min(room, data.Length), TdpLimits.MaxTerminalOutputBytes);
            await SendOutputMessageAsync(data[..n].ToArray(), ct).ConfigureAwait(false);
            data = data[n..];
        }
    }

    /// <summary>Counts one output message against the window and sends it; the caller made sure it fits.</summary>
    private async ValueTask SendOutputMessageAsync(byte[] data, CancellationToken ct)
    {
        await _sendGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            lock (_window)
            {
                _window.OnSent(data.Length);
            }
            await _browser.SendAsync(new TerminalOutputMessage(data)).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>How many output bytes may be sent now; waits for the browser's acks while the window is full.</summary>
    private async ValueTask<int> WaitForWindowAsync(CancellationToken ct)
    {
        while (true)
        {
            Task opened;
            lock (_window)
            {
                if (_window.Available > 0)
                {
                    return _window.Available;
                }
                opened = (_windowOpened ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            await opened.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>A terminal ack (111) from the browser: frees window space. An ack of more than was sent ends the session.</summary>
    private void Acknowledge(uint bytes)
    {
        TaskCompletionSource? opened;
        lock (_window)
        {
            if (!_window.TryAcknowledge(bytes))
            {
                Log.BrowserOverAcknowledged(_log, _live.Id, bytes, _window.Unacknowledged);
                throw new SessionFailure(SessionEndReason.BrowserProtocolError,
                    $"Protocol error: the browser acknowledged {bytes} bytes of terminal output, more than the {_window.Unacknowledged} it had not yet acknowledged.");
            }
            opened = _windowOpened;
            _windowOpened = null;
        }
        opened?.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (_browserPump is not null)
        {
            try
            {
                await _browserPump.WaitAsync(_browser.CloseGrace, _time).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Ended with the session (closed, failed or timed out): nothing more to do with it.
            }
        }
        if (_terminal is { } terminal)
        {
            await terminal.DisposeAsync().ConfigureAwait(false);
        }
        if (_connection is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        _stopped.Dispose();
        _sendGate.Dispose();
    }
}
