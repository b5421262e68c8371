namespace Oriel.Gateway.Sessions;

/// <summary>What <see cref="TargetLiveness.Step"/> asks of the driver.</summary>
public enum TargetLivenessAction
{
    /// <summary>Nothing to do yet.</summary>
    None,

    /// <summary>Send a probe now: a 1x1 non-incremental FramebufferUpdateRequest, which the server must answer.</summary>
    SendProbe,

    /// <summary>The target is unresponsive: end the session with <see cref="TargetLiveness.FailureMessage"/>.</summary>
    Fail,
}
