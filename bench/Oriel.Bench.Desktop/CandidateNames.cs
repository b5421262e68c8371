namespace Oriel.Bench.Desktop;

/// <summary>The sides of the comparison, as named in options, tables and JSON.</summary>
internal static class CandidateNames
{
    /// <summary>websockify relaying Xvnc to stock noVNC (the reference).</summary>
    public const string Peer = "peer";

    /// <summary>The Oriel gateway and its web client, the user's role recording nothing.</summary>
    public const string Oriel = "oriel";

    /// <summary>The same, the user's role recording the session (best effort, the default mode).</summary>
    public const string OrielRecorded = "oriel-recorded";

    /// <summary>Every candidate, in the order one repeat runs them.</summary>
    public static readonly IReadOnlyList<string> All = [Peer, Oriel, OrielRecorded];
}
