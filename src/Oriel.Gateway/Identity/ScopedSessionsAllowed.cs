namespace Oriel.Gateway.Identity;

/// <summary>Endpoint metadata: scoped (link-opened) sign-in sessions may use this endpoint. See <see cref="SessionScope"/>.</summary>
public sealed class ScopedSessionsAllowed
{
    private ScopedSessionsAllowed()
    {
    }

    public static ScopedSessionsAllowed Instance { get; } = new();
}
