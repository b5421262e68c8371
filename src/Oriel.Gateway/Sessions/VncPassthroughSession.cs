using System.Text.Json.Nodes;
using Oriel.Gateway.Recordings;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// A VNC passthrough session as the session host drives it: the <see cref="PassthroughRelay"/> and the raw RFB
/// recording of its stream (<see cref="PassthroughRecorder"/>, <c>DATA/recordings/&lt;sessionId&gt;.orec</c>), which
/// only the VNC side can write because only it knows the wire. The recording is finished before the viewer is
/// closed; the end audit event names the file, whether it can be replayed, and the security used with the target.
/// </summary>
internal sealed class VncPassthroughSession : IBrowserSession
{
    private readonly PassthroughRecorder _recorder;
    private readonly PassthroughRelay _relay;

    private VncPassthroughSession(PassthroughRecorder recorder, PassthroughRelay relay)
    {
        _recorder = recorder;
        _relay = relay;
    }

    /// <summary>Creates the recording file, then the relay on the accepted WebSocket.</summary>
    /// <param name="jpegReplayable">The gateway has a JPEG codec to replay Tight JPEG with (else the viewer's JPEG is withheld).</param>
    public static VncPassthroughSession Create(RelaySessionContext context, RecordingPaths paths, bool jpegReplayable)
    {
        var recorder = PassthroughRecorder.Create(paths, context.Live, $"{context.Target.Host}:{context.Target.Port}", context.Time);
        try
        {
            return new VncPassthroughSession(recorder,
                new PassthroughRelay(context.Browser, context.Live, context.Target, recorder, context.Log, context.Time, context.Timeouts, jpegReplayable));
        }
        catch
        {
            recorder.Dispose();
            throw;
        }
    }

    public Task RunAsync(CancellationToken ct) => _relay.RunAsync(ct);

    public async Task CloseAsync(SessionEndReason reason, string userMessage)
    {
        _recorder.Finish(reason, userMessage);
        await _relay.CloseAsync(reason, userMessage).ConfigureAwait(false);
    }

    public void DescribeEnd(JsonObject details)
    {
        ArgumentNullException.ThrowIfNull(details);
        details["recording"] = Path.GetFileName(_recorder.Path);
        details["replayable"] = _relay.Filter.IsFollowing;
        if (_relay.TargetSecurity is { } security)
        {
            details["targetSecurity"] = security;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _relay.DisposeAsync().ConfigureAwait(false);
        _recorder.Dispose();
    }
}
