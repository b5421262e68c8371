namespace Oriel.Gateway.Storage;

/// <summary>
/// Whether a role's sessions are recorded, from least to most strict (a session takes the strictest of the roles
/// granting its target). Text forms: <see cref="RecordingSettingNames"/>.
/// </summary>
public enum RecordingMode
{
    /// <summary>Not recorded: no file, no catalog row.</summary>
    Off,

    /// <summary>Recorded; when the recording fails the session goes on, the recording is marked incomplete and the failure audited.</summary>
    BestEffort,

    /// <summary>
    /// Recorded or not at all: a session whose recording cannot be opened does not start, and one whose recording
    /// cannot be written ends at once with a message saying so.
    /// </summary>
    Required,
}
