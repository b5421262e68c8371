namespace Oriel.Gateway.Configuration;

/// <summary>
/// Every time limit of a live session, in one place, so that an operator can read them and tests can make
/// them short. They all run on the gateway's <see cref="TimeProvider"/>. docs/operations.md explains each.
/// </summary>
public sealed record SessionTimeouts
{
    /// <summary>Longest the TCP connection to a target may take.</summary>
    public TimeSpan TargetConnect { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest the TLS handshake a VeNCrypt target asks for may take.</summary>
    public TimeSpan TargetTls { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Longest a target may take from the TCP connection to the end of its handshake: ServerInit for a rendered
    /// session, SecurityResult for the passthrough relay's login (and then ServerInit, within the same limit of the
    /// viewer's ClientInit). TLS happens inside this time.
    /// </summary>
    public TimeSpan TargetHandshake { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// After this long without a byte from a target that is between messages, the gateway sends a 1x1
    /// non-incremental FramebufferUpdateRequest, which any RFB server must answer (RFB has no ping); a
    /// passthrough relay writes it into the viewer's stream between two of the viewer's messages.
    /// </summary>
    public TimeSpan TargetSilenceBeforeProbe { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest a target may stay silent after that probe before the session ends.</summary>
    public TimeSpan TargetProbeAnswer { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Longest a target may stay silent in the middle of a message (a FramebufferUpdate with rectangles to
    /// come, or a message cut short): a working server finishes what it started, so this bound needs no probe.
    /// </summary>
    public TimeSpan TargetMidMessageSilence { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest the browser may take from opening the WebSocket to finishing its handshake (TDP, or noVNC's RFB one).</summary>
    public TimeSpan BrowserHandshake { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Once a session is over, how long a browser that is not reading, or not answering the close, is waited for before its socket is aborted.</summary>
    public TimeSpan BrowserCloseGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>When the gateway stops, how long it waits for live sessions to tell their users and close.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>A limit as the user reads it in a sentence: "20 s", "1.5 s", "250 ms".</summary>
    public static string Describe(TimeSpan limit) => limit < TimeSpan.FromSeconds(1)
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{limit.TotalMilliseconds:0} ms")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{limit.TotalSeconds:0.#} s");
}
