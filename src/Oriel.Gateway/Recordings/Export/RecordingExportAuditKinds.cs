namespace Oriel.Gateway.Recordings.Export;

/// <summary>Audit kinds of video exports (CONTRACTS.md section 3; same dotted style as <see cref="Audit.AuditKinds"/>).</summary>
public static class RecordingExportAuditKinds
{
    /// <summary>
    /// An export was asked for. Actor: the user ("cli" from the command line); target: the recorded session's target id;
    /// session: the recording id (= the session id); details: recording, format, jobId (API) or output (CLI).
    /// </summary>
    public const string Export = "recording.export";

    /// <summary>An exported video was downloaded. Actor: the user; target: the target id; session: the recording id; details: recording, format, jobId, bytes.</summary>
    public const string Download = "recording.download";
}
