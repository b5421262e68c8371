namespace Oriel.Gateway.Sessions;

/// <summary>
/// The kinds of session a browser can open (<see cref="LiveSession.Kind"/>, the <c>kind</c> of the session audit
/// events); a protocol adapter says which of them it offers (<see cref="IProtocolAdapter.SessionKinds"/>).
/// </summary>
public static class SessionKinds
{
    /// <summary>Rendered by the gateway: the browser speaks TDP and never the target's protocol.</summary>
    public const string Rendered = "tdp";

    /// <summary>The target's own protocol relayed to a viewer that speaks it (stock noVNC), with the gateway's login.</summary>
    public const string Passthrough = "passthrough";
}
