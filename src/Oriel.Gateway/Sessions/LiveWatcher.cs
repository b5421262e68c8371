using System.Security.Claims;
using Oriel.Gateway.Recordings;
using Oriel.Graphics;
using Oriel.Tdp;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// One person watching a <see cref="LiveView"/>: their bounded queue and the pump that empties it to their socket. The
/// pump starts with a keyframe (the screen read under the session's gate, encoded here, off the gate, by the watcher's
/// own <see cref="TdpKeyframeBuilder"/>), then sends the session's messages in order; when the queue overflowed it sends a
/// fresh keyframe and goes on from there. A terminal's keyframe is its size and the replay of its screen
/// (<see cref="LiveView.ReadTerminalScreen"/>).
/// </summary>
public sealed class LiveWatcher
{
    /// <summary>The most a watcher may be behind, in bytes, before its queue is dropped for a keyframe.</summary>
    public const long MaxQueuedBytes = 16L * 1024 * 1024;

    /// <summary>The most a watcher may be behind, in messages.</summary>
    public const int MaxQueuedMessages = 4096;

    /// <summary>The shortest time between two keyframes a slow watcher causes.</summary>
    public static readonly TimeSpan MinKeyframeInterval = TimeSpan.FromSeconds(1);

    private readonly TdpKeyframeBuilder _keyframes = new();
    private readonly CancellationTokenSource _revoked = new();
    private Framebuffer? _screen;
    private string? _revokedReason;

    public LiveWatcher(string userName, LiveWatcherQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        UserName = userName;
        Queue = queue;
    }

    public string UserName { get; }

    public LiveWatcherQueue Queue { get; }

    /// <summary>Who watches, as signed in when the view opened; re-checked by <see cref="SessionRevalidator"/>.</summary>
    public ClaimsPrincipal? Principal { get; init; }

    /// <summary>Cancelled when the watcher's own access went away (<see cref="Revoke"/>); <see cref="RevokedReason"/> says why.</summary>
    public CancellationToken Revoked => _revoked.Token;

    /// <summary>The sentence the watcher is shown when their access went away, or null while it holds.</summary>
    public string? RevokedReason => Volatile.Read(ref _revokedReason);

    /// <summary>Ends this watcher's view because their own access went away (signed out, removed, WatchLive withdrawn). The first reason wins.</summary>
    public void Revoke(string reason)
    {
        if (Interlocked.CompareExchange(ref _revokedReason, reason, null) is null)
        {
            _revoked.Cancel();
        }
    }

    /// <summary>Keyframes sent so far (the first, and one after each overflow).</summary>
    public int Keyframes { get; private set; }

    /// <summary>
    /// Sends the watcher the session's picture and then its messages, each whole encoded TDP message through
    /// <paramref name="send"/>, until <paramref name="ct"/> is cancelled or a send fails.
    /// </summary>
    public async Task PumpAsync(LiveView view, Func<ReadOnlyMemory<byte>, ValueTask> send, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(send);
        while (true)
        {
            var message = await Queue.NextAsync(ct).ConfigureAwait(false);
            if (message is not null)
            {
                await send(message).ConfigureAwait(false);
                continue;
            }
            if (view.Medium == SessionMedium.Terminal)
            {
                await SendTerminalScreenAsync(view, send, ct).ConfigureAwait(false);
                continue;
            }
            _screen ??= new Framebuffer(1, 1);
            var (copied, cursor) = await view.ReadScreenAsync(this, _screen, ct).ConfigureAwait(false);
            if (!copied)
            {
                continue;
            }
            foreach (var part in _keyframes.Build(_screen, cursor))
            {
                ct.ThrowIfCancellationRequested();
                await send(part).ConfigureAwait(false);
            }
            Keyframes++;
        }
    }

    /// <summary>A terminal's "keyframe": its size (113), then its screen's replay as terminal output (108, in messages of at most 64 KiB).</summary>
    private async Task SendTerminalScreenAsync(LiveView view, Func<ReadOnlyMemory<byte>, ValueTask> send, CancellationToken ct)
    {
        var (size, screen) = view.ReadTerminalScreen(this);
        await send(TdpCodec.Encode(size)).ConfigureAwait(false);
        for (var at = 0; at < screen.Length; at += TdpLimits.MaxTerminalOutputBytes)
        {
            ct.ThrowIfCancellationRequested();
            var part = screen.AsSpan(at, Math.Min(TdpLimits.MaxTerminalOutputBytes, screen.Length - at));
            await send(TdpCodec.Encode(new TerminalOutputMessage(part.ToArray()))).ConfigureAwait(false);
        }
        Keyframes++;
    }
}
