using System.Text.Json.Nodes;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// A VNC passthrough session as the session host drives it: the <see cref="PassthroughRelay"/>, which writes the raw
/// RFB stream to the session's recording (<see cref="RelaySessionContext.Recorder"/>, <c>DATA/recordings/&lt;sessionId&gt;.orec</c>,
/// opened and finished by the recording observer) because only the VNC side knows the wire. The end audit event says
/// whether the recording can be replayed and the security used with the target.
/// </summary>
internal sealed class VncPassthroughSession : IBrowserSession
{
    private readonly PassthroughRelay _relay;

    private VncPassthroughSession(PassthroughRelay relay)
    {
        _relay = relay;
    }

    /// <summary>Creates the relay on the accepted WebSocket.</summary>
    /// <param name="jpegReplayable">The gateway has a JPEG codec to replay Tight JPEG with (else the viewer's JPEG is withheld).</param>
    public static VncPassthroughSession Create(RelaySessionContext context, bool jpegReplayable) =>
        new(new PassthroughRelay(context.Browser, context.Live, context.Target, context.Recorder, context.Log, context.Time, context.Timeouts, jpegReplayable));

    public Task RunAsync(CancellationToken ct) => _relay.RunAsync(ct);

    public Task CloseAsync(SessionEndReason reason, string userMessage) => _relay.CloseAsync(reason, userMessage);

    public void DescribeEnd(JsonObject details)
    {
        ArgumentNullException.ThrowIfNull(details);
        details["replayable"] = _relay.Filter.IsFollowing;
        if (_relay.TargetSecurity is { } security)
        {
            details["targetSecurity"] = security;
        }
    }

    public ValueTask DisposeAsync() => _relay.DisposeAsync();
}
