namespace Oriel.Gateway.Sessions;

/// <summary>A session the broker knows about: who, what, since when, counters, and how to end it.</summary>
public sealed class LiveSession
{
    private long _bytesFromTarget;
    private long _bytesToTarget;
    private long _bytesToBrowser;
    private long _bytesFromBrowser;
    private long _framesSent;
    private readonly CancellationTokenSource _terminate = new();

    public LiveSession(string id, string userId, string userName, string targetId, string protocol, string kind, string? clientIp, DateTimeOffset started)
    {
        Id = id;
        UserId = userId;
        UserName = userName;
        TargetId = targetId;
        Protocol = protocol;
        Kind = kind;
        ClientIp = clientIp;
        Started = started;
    }

    public string Id { get; }
    public string UserId { get; }
    public string UserName { get; }
    public string TargetId { get; }
    public string Protocol { get; }

    /// <summary>"tdp" (rendered by the gateway) or "passthrough" (raw protocol relayed).</summary>
    public string Kind { get; }

    public string? ClientIp { get; }

    /// <summary>Who opened the session, as signed in then; re-checked by <see cref="SessionRevalidator"/>.</summary>
    public System.Security.Claims.ClaimsPrincipal? Principal { get; set; }

    /// <summary>
    /// The login asked for with <c>?login=</c> (<see cref="Access.TargetLogins"/>), or null for the target's own username;
    /// re-checked with the access by <see cref="SessionRevalidator"/>, so a login a role no longer allows ends the session.
    /// </summary>
    public string? Login { get; set; }
    public DateTimeOffset Started { get; }

    public long BytesFromTarget => Interlocked.Read(ref _bytesFromTarget);
    public long BytesToTarget => Interlocked.Read(ref _bytesToTarget);
    public long BytesToBrowser => Interlocked.Read(ref _bytesToBrowser);
    public long BytesFromBrowser => Interlocked.Read(ref _bytesFromBrowser);
    public long FramesSent => Interlocked.Read(ref _framesSent);

    public void AddFromTarget(long n) => Interlocked.Add(ref _bytesFromTarget, n);
    public void AddToTarget(long n) => Interlocked.Add(ref _bytesToTarget, n);
    public void AddToBrowser(long n) => Interlocked.Add(ref _bytesToBrowser, n);
    public void AddFromBrowser(long n) => Interlocked.Add(ref _bytesFromBrowser, n);
    public void AddFrame() => Interlocked.Increment(ref _framesSent);

    /// <summary>Cancelled when an administrator or a policy change ends the session.</summary>
    public CancellationToken Terminated => _terminate.Token;

    public string? TerminationReason { get; private set; }

    public void Terminate(string reason)
    {
        TerminationReason ??= reason;
        _terminate.Cancel();
    }
}
