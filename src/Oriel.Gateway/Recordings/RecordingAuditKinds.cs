namespace Oriel.Gateway.Recordings;

/// <summary>Audit event kinds of the recordings read API (CONTRACTS section 3). Names are stable: tools filter on them.</summary>
public static class RecordingAuditKinds
{
    /// <summary>
    /// A user opened a recording (its metadata, once per opening of the player; the Range requests that follow are not
    /// audited one by one). Actor: the viewer; target: the recorded target's id; session: the recording's id; details:
    /// recordingId, user (whose session it was), kind.
    /// </summary>
    public const string View = "recording.view";
}
