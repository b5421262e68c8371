namespace Oriel.Gateway.Identity;

/// <summary>
/// The answer of <see cref="SignInThrottle.TryReserveAsync"/>: either how long the caller must wait
/// (<see cref="RetryAfter"/>; nothing was counted), or a guess counted against each of <see cref="Keys"/>, to be
/// given back if it turns out right.
/// </summary>
public sealed record ThrottleReservation(TimeSpan? RetryAfter, IReadOnlyList<ReservedThrottleKey> Keys)
{
    /// <summary>True when the guess may be verified now.</summary>
    public bool Granted => RetryAfter is null;
}
