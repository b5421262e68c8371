namespace Oriel.Bench.Desktop;

/// <summary>The two sides of the comparison, as named in options, tables and JSON.</summary>
internal static class CandidateNames
{
    /// <summary>websockify relaying Xvnc to stock noVNC (the reference).</summary>
    public const string Peer = "peer";

    /// <summary>The Oriel gateway and its web client.</summary>
    public const string Oriel = "oriel";
}
