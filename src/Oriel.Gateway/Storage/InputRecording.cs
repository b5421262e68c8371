namespace Oriel.Gateway.Storage;

/// <summary>
/// How much of the user's input a recording keeps, from least to most (a session takes the most any role granting
/// its target asks for). Clipboard contents are never recorded, whatever this says. Text forms: <see cref="RecordingSettingNames"/>.
/// </summary>
public enum InputRecording
{
    /// <summary>No input at all.</summary>
    Off,

    /// <summary>Pointer events, and key presses and releases with the key's identity removed (timing only).</summary>
    Redacted,

    /// <summary>Every input message as the browser sent it, keys included.</summary>
    Full,
}
