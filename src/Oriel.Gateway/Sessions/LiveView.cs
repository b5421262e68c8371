using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Desktop;
using Oriel.Graphics;
using Oriel.Tdp;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// One rendered session seen live by its watchers (docs/live-view.md): an <see cref="ISessionObserver"/> whose tee
/// (<see cref="LiveViewTee"/>) offers every message the session sends its browser to each watcher's bounded
/// <see cref="LiveWatcherQueue"/> (never waiting on a watcher), and which reads the screen for a watcher's keyframe under
/// the session's gate (<see cref="ReadScreenAsync"/>). A terminal session (<see cref="SessionMedium.Terminal"/>) has no
/// screen to read: its tee (<see cref="LiveViewTerminalTee"/>) feeds the session's output to a bounded
/// <see cref="TerminalScreenReplay"/>, and a watcher's "keyframe" is the terminal's size (TDP 113, from the browser's
/// 110) and that replay (<see cref="ReadTerminalScreen"/>). It tells the watched user who starts and stops watching (TDP
/// Notification, sent under the gate in order with the session's own messages). Clipboard messages and the session's
/// notifications are not shown to watchers. The session's end ends its watchers, with the session's sentence.
/// Nothing a watcher sends reaches the session: a watcher has no way in.
/// </summary>
public sealed partial class LiveView : ISessionObserver
{
    /// <summary>How long a keyframe waits for the session's pending update to be sent, so the picture is what the user's canvas shows.</summary>
    internal static readonly TimeSpan SettleWait = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan SettleStep = TimeSpan.FromMilliseconds(50);

    private readonly LiveViews _views;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly object _lock = new();
    private readonly CancellationTokenSource _ended = new();
    private readonly ConcurrentQueue<string> _notices = new();
    private LiveWatcher[] _watchers = [];
    private DesktopSurface? _surface;
    private SessionGate? _gate;
    private ITdpSender? _browser;
    private byte[]? _cursor;
    private int _watchedBy;
    private TerminalScreenReplay? _replay;
    private TerminalSizeMessage _terminalSize = new(DefaultColumns, DefaultRows);

    /// <summary>The terminal's size until the browser says (as the terminal adapter assumes: 80x24).</summary>
    internal const ushort DefaultColumns = 80;

    internal const ushort DefaultRows = 24;

    internal LiveView(LiveSession session, LiveViews views, TimeProvider time, ILogger log, SessionMedium medium = SessionMedium.Desktop)
    {
        Session = session;
        _views = views;
        _time = time;
        _log = log;
        Medium = medium;
        if (medium == SessionMedium.Terminal)
        {
            // The one extra copy of a terminal's output: capped per screen, grown only as output comes, gone at the end.
            _replay = new TerminalScreenReplay(TerminalScreenReplay.DefaultCapacity);
        }
    }

    public LiveSession Session { get; }

    /// <summary>What the session shows: a desktop (keyframes from its surface) or a terminal (a replay of its output).</summary>
    public SessionMedium Medium { get; }

    /// <summary>Cancelled when the session ends; <see cref="EndMessage"/> then says how.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>The sentence the session's user was shown as it ended.</summary>
    public string? EndMessage { get; private set; }

    /// <summary>Watchers now.</summary>
    public int WatcherCount => Volatile.Read(ref _watchers).Length;

    /// <summary>The watchers now (a snapshot).</summary>
    internal IReadOnlyList<LiveWatcher> Watchers => Volatile.Read(ref _watchers);

    internal bool HasWatchers => Volatile.Read(ref _watchers).Length > 0;

    public ITdpSender WrapSender(ITdpSender browser)
    {
        _browser = browser;
        if (Medium == SessionMedium.Terminal)
        {
            // No surface will bring a gate: the tee serialises the sends itself, and notices go through it.
            var sends = new SemaphoreSlim(1, 1);
            lock (_lock)
            {
                _gate = new SessionGate(sends);
            }
            return new LiveViewTerminalTee(this, browser, sends);
        }
        return new LiveViewTee(this, browser);
    }

    /// <summary>A terminal's resize (110) from the user's browser: its watchers' terminals take the size (113), in order with the output.</summary>
    public void BrowserMessage(TdpMessage message)
    {
        if (Medium != SessionMedium.Terminal || message is not TerminalResizeMessage resize)
        {
            return;
        }
        var size = new TerminalSizeMessage(resize.Columns, resize.Rows);
        lock (_lock)
        {
            if (size == _terminalSize)
            {
                return;
            }
            _terminalSize = size;
            var watchers = Volatile.Read(ref _watchers);
            if (watchers.Length > 0)
            {
                var encoded = TdpCodec.Encode(size);
                foreach (var watcher in watchers)
                {
                    watcher.Queue.Offer(encoded);
                }
            }
        }
    }

    public void SurfaceOpened(DesktopSurface surface)
    {
    }

    public void SurfaceOpened(DesktopSurface surface, SessionGate gate)
    {
        lock (_lock)
        {
            _surface = surface;
            _gate = gate;
        }
        if (!_notices.IsEmpty)
        {
            _ = FlushNoticesAsync(); // someone started watching before the desktop was there
        }
    }

    /// <summary>Adds a watcher; it is owed a keyframe, which its pump asks for (<see cref="ReadScreenAsync"/>).</summary>
    internal void Join(LiveWatcher watcher)
    {
        lock (_lock)
        {
            _watchers = [.. _watchers, watcher];
            _watchedBy++;
        }
        Notify($"{watcher.UserName} is watching this session (read-only)");
    }

    internal void Leave(LiveWatcher watcher)
    {
        lock (_lock)
        {
            _watchers = [.. _watchers.Where(w => w != watcher)];
        }
        if (!_ended.IsCancellationRequested)
        {
            Notify($"{watcher.UserName} stopped watching this session");
        }
    }

    /// <summary>Under the session's gate (from the tee): a whole encoded message the browser is being sent.</summary>
    internal void Sent(TdpMessageType type, ReadOnlySpan<byte> encoded)
    {
        if (type == TdpMessageType.CursorShape)
        {
            _cursor = encoded.ToArray(); // for keyframes, watched or not
        }
        if (type is TdpMessageType.ClipboardData or TdpMessageType.Notification or TdpMessageType.Error)
        {
            return; // the user's clipboard and the session's own notices are not the watchers' business
        }
        foreach (var watcher in Volatile.Read(ref _watchers))
        {
            watcher.Queue.Offer(encoded);
        }
    }

    /// <summary>
    /// Under the terminal tee's gate: a message the browser is being sent. Terminal output (108, <paramref name="data"/>)
    /// goes to the replay; while someone watches, the whole encoded message (<paramref name="encoded"/>) goes to each
    /// watcher's queue, but for the user's clipboard and the session's own notices. Under the view's lock, so a watcher's
    /// replay (<see cref="ReadTerminalScreen"/>) and the messages queued after it meet exactly.
    /// </summary>
    internal void TerminalSent(TdpMessageType type, ReadOnlySpan<byte> data, ReadOnlySpan<byte> encoded)
    {
        lock (_lock)
        {
            if (type == TdpMessageType.TerminalOutput)
            {
                _replay?.Append(data);
            }
            if (encoded.IsEmpty || type is TdpMessageType.ClipboardData or TdpMessageType.Notification or TdpMessageType.Error)
            {
                return;
            }
            foreach (var watcher in Volatile.Read(ref _watchers))
            {
                watcher.Queue.Offer(encoded);
            }
        }
    }

    /// <summary>
    /// For a watcher of a terminal owed a "keyframe" (joining, or dropped for falling behind): the terminal's size and the
    /// replay of its screen, taken under the view's lock with the watcher's queue marked, so the output queued from then
    /// on continues it exactly. Copies the replay (at most its cap per screen); never waits on the session.
    /// </summary>
    internal (TerminalSizeMessage Size, byte[] Screen) ReadTerminalScreen(LiveWatcher watcher)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        TerminalSizeMessage size;
        byte[] screen;
        bool truncated;
        lock (_lock)
        {
            size = _terminalSize;
            screen = _replay?.ToArray() ?? [];
            truncated = _replay?.Truncated ?? false;
            watcher.Queue.KeyframeTaken();
        }
        LogTerminalReplay(_log, Session.Id, watcher.UserName, screen.Length, size.Columns, size.Rows);
        if (truncated)
        {
            LogTerminalReplayPartial(_log, Session.Id, watcher.UserName, TerminalScreenReplay.DefaultCapacity);
        }
        return (size, screen);
    }

    /// <summary>
    /// For a watcher owed a keyframe: under the session's gate, copies the framebuffer into <paramref name="copy"/> and
    /// takes the cursor, and marks the keyframe taken in the watcher's queue (the messages sent from then on follow it).
    /// Waits up to <see cref="SettleWait"/> for an update the session has not finished sending, so the picture is what the
    /// user sees. Returns the cursor (possibly empty) and whether there was a screen to copy; with no desktop yet the
    /// session's own first messages draw it.
    /// </summary>
    internal async Task<(bool Copied, byte[] Cursor)> ReadScreenAsync(LiveWatcher watcher, Framebuffer copy, CancellationToken ct)
    {
        SessionGate? gate;
        lock (_lock)
        {
            gate = _gate;
            if (gate is null)
            {
                watcher.Queue.KeyframeTaken();
                return (false, []);
            }
        }
        var settle = _time.GetTimestamp();
        while (true)
        {
            var result = await gate.RunAsync(() =>
            {
                var surface = _surface!;
                if (surface.Framebuffer is not { } fb || !surface.IsOpen)
                {
                    watcher.Queue.KeyframeTaken();
                    return ValueTask.FromResult<(bool, bool, byte[])>((true, false, []));
                }
                if (surface.HasPendingUpdate && _time.GetElapsedTime(settle) < SettleWait)
                {
                    return ValueTask.FromResult<(bool, bool, byte[])>((false, false, []));
                }
                copy.Resize(fb.Width, fb.Height);
                fb.Pixels.CopyTo(copy.Pixels);
                watcher.Queue.KeyframeTaken();
                return ValueTask.FromResult<(bool, bool, byte[])>((true, true, _cursor ?? []));
            }, ct).ConfigureAwait(false);
            if (result.Item1)
            {
                return (result.Item2, result.Item3);
            }
            await Task.Delay(SettleStep, _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A notice for the watched user (severity info), sent under the gate as soon as it is free.</summary>
    private void Notify(string text)
    {
        _notices.Enqueue(text);
        _ = FlushNoticesAsync();
    }

    private async Task FlushNoticesAsync()
    {
        SessionGate? gate;
        lock (_lock)
        {
            gate = _gate;
        }
        if (gate is null)
        {
            return; // sent with the session's next message, or when the desktop opens
        }
        try
        {
            await gate.RunAsync(async () =>
            {
                await SendNoticesAsync().ConfigureAwait(false);
                return true;
            }, _ended.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The session ended; its user has nothing more to be told.
        }
        catch (Exception ex)
        {
            LogNoticeFailed(_log, Session.Id, ex);
        }
    }

    /// <summary>Under the session's gate: sends the notices waiting for the user.</summary>
    internal async ValueTask SendNoticesAsync()
    {
        if (_notices.IsEmpty || _browser is not { } browser)
        {
            return;
        }
        while (_notices.TryDequeue(out var text))
        {
            await browser.SendAsync(new NotificationMessage(text, Severity.Info)).ConfigureAwait(false);
        }
    }

    public void DescribeEnd(JsonObject details)
    {
        ArgumentNullException.ThrowIfNull(details);
        var n = Volatile.Read(ref _watchedBy);
        if (n > 0)
        {
            details["watchers"] = n;
        }
    }

    public ValueTask FinishAsync(SessionEndReason reason, string userMessage)
    {
        EndMessage = userMessage;
        _views.Remove(this);
        _ended.Cancel();
        ForgetReplay();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _views.Remove(this);
        EndMessage ??= "The session ended.";
        _ended.Cancel();
        ForgetReplay();
        return ValueTask.CompletedTask;
    }

    /// <summary>The session is over: nobody can join any more, and the replay's memory goes.</summary>
    private void ForgetReplay()
    {
        lock (_lock)
        {
            _replay = null;
        }
    }

    [LoggerMessage(EventId = 3510, Level = LogLevel.Debug, Message = "Session {SessionId}: {Watcher} gets the terminal's screen, {Bytes} bytes of output at {Columns}x{Rows}")]
    private static partial void LogTerminalReplay(ILogger logger, string sessionId, string watcher, int bytes, int columns, int rows);

    [LoggerMessage(EventId = 3511, Level = LogLevel.Information,
        Message = "Session {SessionId}: the terminal's screen for {Watcher} starts partial: its output since the last full-screen reset passed the {Cap}-byte cap")]
    private static partial void LogTerminalReplayPartial(ILogger logger, string sessionId, string watcher, int cap);

    [LoggerMessage(EventId = 3601, Level = LogLevel.Warning, Message = "Session {SessionId}: a live-view notice could not be sent to the user")]
    private static partial void LogNoticeFailed(ILogger logger, string sessionId, Exception exception);
}
