using Oriel.Gateway.Hosting;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// VNC as the session host finds it by name ("vnc"): rendered sessions (<see cref="VncSession"/>: the RFB engine, its
/// driver and the <see cref="VncAdapter"/> to TDP) and passthrough (<see cref="VncPassthroughSession"/>: the RFB relay
/// writing the raw recording the session's recording observer opened). Registered in the composition root (<see cref="GatewayHost"/>). Reads the target's
/// <see cref="VncTargetSettings"/>.
/// </summary>
public sealed class VncProtocol(JpegSupport jpeg) : IProtocolAdapter
{
    private static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal) { Sessions.SessionKinds.Rendered, Sessions.SessionKinds.Passthrough };

    public string Protocol => VncTargetSettings.ProtocolName;

    public string DisplayName => "VNC";

    public IReadOnlySet<string> SessionKinds => Kinds;

    public IRenderedSession CreateRendered(RenderedSessionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new VncSession(context.Live, context.Target, context.Permissions, context.Browser, context.Log, context.AuditClipboard, jpeg.CreateCodec(), context.Time)
        {
            Timeouts = context.Timeouts,
            SurfaceOpened = context.SurfaceOpened,
        };
    }

    public ValueTask<IBrowserSession> CreateRelayAsync(RelaySessionContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<IBrowserSession>(VncPassthroughSession.Create(context, jpeg.IsAvailable));
    }
}
