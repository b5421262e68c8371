namespace Oriel.Gateway.Recordings.Export;

/// <summary>The body of <c>POST /api/recordings/{id}/exports</c>: <c>{ "format": "mp4" | "webm" }</c>.</summary>
public sealed record RecordingExportRequest(string? Format);
