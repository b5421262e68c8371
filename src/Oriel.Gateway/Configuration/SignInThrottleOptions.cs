namespace Oriel.Gateway.Configuration;

/// <summary>
/// Sign-in throttling: after <see cref="MaxFailuresPerUser"/> failures for one username (or
/// <see cref="MaxFailuresPerAddress"/> from one client address) within <see cref="Window"/>, the key is locked for
/// <see cref="BaseLockout"/>, doubling with each further failure up to <see cref="MaxLockout"/>.
/// </summary>
public sealed class SignInThrottleOptions
{
    public int MaxFailuresPerUser { get; set; } = 5;

    public int MaxFailuresPerAddress { get; set; } = 20;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan BaseLockout { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxLockout { get; set; } = TimeSpan.FromMinutes(15);
}
