using Microsoft.Extensions.Logging;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// SSH as the session host finds it by name ("ssh"): rendered sessions only, shown as a terminal (TDP 108-112), each an
/// <see cref="SshSession"/> over Oriel's own SSH client (<see cref="ISshConnector"/>). Reads the target's
/// <see cref="SshTargetSettings"/>. Registered in the composition root next to VNC.
/// </summary>
/// <param name="connector">The SSH client.</param>
/// <param name="files">Where a live session registers its file panel's access.</param>
/// <param name="audit">Host key mismatches and failed logins are audited here.</param>
/// <param name="options">The terminal output window (<see cref="GatewayOptions.TerminalWindowBytes"/>).</param>
/// <param name="hostKeys">
/// Records first-use host keys. Optional in the container so that a gateway without one still starts; a session that
/// would need it (no pin, trust on first use) is then refused rather than trusted unrecorded.
/// </param>
public sealed class SshProtocol(ISshConnector connector, ISshFileAccessRegistry files, IAuditLog audit, GatewayOptions options, ISshHostKeyStore? hostKeys = null)
    : IProtocolAdapter
{
    private static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal) { Sessions.SessionKinds.Rendered };

    public string Protocol => SshTargetSettings.ProtocolName;

    public string DisplayName => "SSH";

    public IReadOnlySet<string> SessionKinds => Kinds;

    public SessionMedium Medium => SessionMedium.Terminal;

    public IRenderedSession CreateRendered(RenderedSessionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new SshSession(context, connector, hostKeys, files, audit, options.TerminalWindowBytes);
    }

    public ValueTask<IBrowserSession> CreateRelayAsync(RelaySessionContext context, CancellationToken ct) =>
        throw new NotSupportedException("SSH offers no passthrough sessions; admission does not ask for one");
}
