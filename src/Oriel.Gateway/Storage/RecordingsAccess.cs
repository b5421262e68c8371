namespace Oriel.Gateway.Storage;

/// <summary>
/// Which recordings a role's holders may list, play and export (a user gets the widest of their roles;
/// administrators <see cref="All"/>). Text forms: <see cref="RecordingSettingNames"/>.
/// </summary>
public enum RecordingsAccess
{
    None,

    /// <summary>Recordings of the user's own sessions.</summary>
    Own,

    All,
}
