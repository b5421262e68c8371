namespace Oriel.Gateway.Links;

/// <summary>
/// The outcome of opening a link: either <see cref="Refusal"/>, or the user and the viewer path to send the browser
/// to, with a new sign-in session scoped to <see cref="TargetId"/> (<see cref="SessionId"/>, the cookie value) unless
/// the browser already had one of that user that reaches the target.
/// </summary>
public sealed record LinkRedemption
{
    public LinkRefusal? Refusal { get; init; }

    public bool Succeeded => Refusal is null;

    public Storage.UserRecord? User { get; init; }

    public string? TargetId { get; init; }

    public string? LinkId { get; init; }

    /// <summary>Where to send the browser, relative to the gateway (<see cref="LinkViewers.PathFor"/>).</summary>
    public string? ViewerPath { get; init; }

    /// <summary>The new sign-in session's id (the secret the cookie carries), or null when none was started.</summary>
    public string? SessionId { get; init; }

    public DateTimeOffset? SessionExpiresAt { get; init; }

    public static LinkRedemption Refused(LinkRefusal refusal) => new() { Refusal = refusal };
}
