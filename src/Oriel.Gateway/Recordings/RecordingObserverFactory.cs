using Oriel.Gateway.Access;
using Oriel.Gateway.Sessions;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// The session recorder's place in the session lifecycle (<see cref="ISessionObserverFactory"/>): for each admitted
/// session, opens its recording as the role's <see cref="Storage.RecordingMode"/> says (<see cref="RecordingService"/>):
/// a rendered session gets a <see cref="TdpRecorder"/> on its TDP stream, a passthrough session the raw stream recorder
/// its relay writes to. Null (not recorded) when the mode is off or a best-effort recording could not be opened; a
/// required recording that cannot be opened refuses the session (<see cref="SessionFailure"/>).
/// </summary>
public sealed class RecordingObserverFactory(RecordingService recordings) : ISessionObserverFactory
{
    public async ValueTask<ISessionObserver?> OpenAsync(LiveSession live, AccessDecision decision, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(decision);
        var target = decision.Target ?? throw new ArgumentException("an admitted session has a target", nameof(decision));
        if (live.Kind == SessionKinds.Passthrough)
        {
            var raw = await recordings.StartPassthroughAsync(live, target, decision.Permissions, ct).ConfigureAwait(false);
            return raw is null ? null : new PassthroughRecordingObserver(raw);
        }
        var tdp = await recordings.StartTdpAsync(live, target, decision.Permissions, ct).ConfigureAwait(false);
        return tdp is null ? null : new TdpRecordingObserver(tdp);
    }
}
