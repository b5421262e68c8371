namespace Oriel.Gateway.Configuration;

/// <summary>
/// Turns the configuration file's <c>"recordings"</c> section into <see cref="GatewayOptions.RecordingRetention"/>:
/// <c>retentionDays</c> is a whole number of days from 1 to 36500 (a hundred years); unset, the retention already
/// configured stays (none by default: recordings are kept for ever). A bad value stops the start with an
/// <see cref="InvalidDataException"/> naming the file, the setting and the rule.
/// </summary>
public static class RecordingsSection
{
    /// <summary>Longest retention accepted, in days.</summary>
    public const int MaxRetentionDays = 36500;

    /// <summary>The retention <paramref name="entry"/> sets, or <paramref name="current"/> when it sets none.</summary>
    public static TimeSpan? Retention(TimeSpan? current, OrielConfigFile.RecordingsEntry? entry, string source)
    {
        if (entry?.RetentionDays is not { } days)
        {
            return current;
        }

        if (days is < 1 or > MaxRetentionDays)
        {
            throw new InvalidDataException($"{source}: recordings: retentionDays is {days}; it must be a whole number of days from 1 to {MaxRetentionDays} (leave it out to keep recordings for ever)");
        }

        return TimeSpan.FromDays(days);
    }
}
