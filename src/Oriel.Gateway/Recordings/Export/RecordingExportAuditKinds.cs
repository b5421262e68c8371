namespace Oriel.Gateway.Recordings.Export;

/// <summary>Audit kinds of video exports (CONTRACTS.md section 3; same dotted style as <see cref="Audit.AuditKinds"/>).</summary>
public static class RecordingExportAuditKinds
{
    /// <summary>An export was asked for. Actor: the user ("cli" from the command line); target and session: the recording id; details: format, jobId.</summary>
    public const string Export = "recording.export";

    /// <summary>An exported video was downloaded. Actor: the user; target and session: the recording id; details: format, jobId, bytes.</summary>
    public const string Download = "recording.download";
}
