using System.Text.Json.Nodes;

namespace Oriel.Gateway.Recordings;

/// <summary>What a session's <c>session.end</c> audit event says of its recording: the file name, and the problem when it is incomplete.</summary>
internal static class RecordingEndDetails
{
    public static void Describe(RecordingFile file, JsonObject details)
    {
        ArgumentNullException.ThrowIfNull(details);
        details["recording"] = Path.GetFileName(file.Path);
        if (file.Problem is { } problem)
        {
            details["recordingProblem"] = problem;
        }
    }
}
