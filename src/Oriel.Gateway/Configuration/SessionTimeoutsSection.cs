using System.Globalization;
using Oriel.Gateway.Sessions;

namespace Oriel.Gateway.Configuration;

/// <summary>
/// Turns the configuration file's <c>"sessionTimeouts"</c> section into <see cref="SessionTimeouts"/>. Every value
/// is in seconds, must be a finite positive number within its bound (a limit of hours would keep a dead
/// session, and its user's session slot, for hours), and the limits must fit together: TLS happens inside the
/// target's handshake, and a target stopped in the middle of a message is given no longer than one that is
/// idle between messages (a working server finishes what it started). A bad value stops the start with an
/// <see cref="InvalidDataException"/> naming the file, the setting and the rule.
/// </summary>
public static class SessionTimeoutsSection
{
    /// <summary>Smallest value accepted for any limit, in seconds.</summary>
    public const double MinimumSeconds = 0.1;

    /// <summary>Smallest silence before a probe, in seconds: shorter would flood an idle target with requests.</summary>
    public const double MinimumProbeIntervalSeconds = 1;

    /// <summary>Applies <paramref name="entry"/> over <paramref name="current"/>; unset values keep <paramref name="current"/>'s.</summary>
    public static SessionTimeouts Apply(SessionTimeouts current, OrielConfigFile.SessionTimeoutsEntry? entry, string source)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (entry is null)
        {
            return current;
        }

        var result = current with
        {
            TargetConnect = Read(entry.TargetConnectSeconds, current.TargetConnect, "targetConnectSeconds", MinimumSeconds, 300, source),
            TargetTls = Read(entry.TargetTlsSeconds, current.TargetTls, "targetTlsSeconds", MinimumSeconds, 300, source),
            TargetHandshake = Read(entry.TargetHandshakeSeconds, current.TargetHandshake, "targetHandshakeSeconds", MinimumSeconds, 600, source),
            TargetSilenceBeforeProbe = Read(entry.TargetSilenceBeforeProbeSeconds, current.TargetSilenceBeforeProbe, "targetSilenceBeforeProbeSeconds", MinimumProbeIntervalSeconds, 3600, source),
            TargetProbeAnswer = Read(entry.TargetProbeAnswerSeconds, current.TargetProbeAnswer, "targetProbeAnswerSeconds", MinimumSeconds, 600, source),
            TargetMidMessageSilence = Read(entry.TargetMidMessageSilenceSeconds, current.TargetMidMessageSilence, "targetMidMessageSilenceSeconds", MinimumSeconds, 600, source),
            BrowserHandshake = Read(entry.BrowserHandshakeSeconds, current.BrowserHandshake, "browserHandshakeSeconds", MinimumSeconds, 600, source),
            BrowserCloseGrace = Read(entry.BrowserCloseGraceSeconds, current.BrowserCloseGrace, "browserCloseGraceSeconds", MinimumSeconds, 60, source),
            ShutdownGrace = Read(entry.ShutdownGraceSeconds, current.ShutdownGrace, "shutdownGraceSeconds", MinimumSeconds, 60, source),
        };

        if (result.TargetTls > result.TargetHandshake)
        {
            throw Invalid(source, $"targetTlsSeconds ({Seconds(result.TargetTls)}) must not exceed targetHandshakeSeconds ({Seconds(result.TargetHandshake)}): the TLS handshake is part of the target's handshake");
        }

        if (result.TargetMidMessageSilence > result.TargetSilenceBeforeProbe)
        {
            throw Invalid(source, $"targetMidMessageSilenceSeconds ({Seconds(result.TargetMidMessageSilence)}) must not exceed targetSilenceBeforeProbeSeconds ({Seconds(result.TargetSilenceBeforeProbe)}): a server stopped in the middle of a message is not given longer than an idle one");
        }

        return result;
    }

    private static TimeSpan Read(double? seconds, TimeSpan current, string name, double min, double max, string source)
    {
        if (seconds is not { } value)
        {
            return current;
        }

        if (!double.IsFinite(value) || value < min || value > max)
        {
            throw Invalid(source, $"{name} is {value.ToString(CultureInfo.InvariantCulture)}; it must be a number of seconds from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
        }

        return TimeSpan.FromSeconds(value);
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    private static InvalidDataException Invalid(string source, string message) => new($"{source}: sessionTimeouts: {message}");
}
