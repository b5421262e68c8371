using System.Globalization;

namespace Oriel.Gateway.Storage;

/// <summary>
/// The names of the role recording settings as stored, configured, shown and sent by the API:
/// <see cref="RecordingMode"/> "off" | "best-effort" | "required", <see cref="InputRecording"/> "off" | "redacted" | "full",
/// <see cref="RecordingsAccess"/> "none" | "own" | "all". Parsing ignores case, '-' and '_' ("bestEffort" is accepted).
/// </summary>
public static class RecordingSettingNames
{
    public const string ModeChoices = "off, best-effort or required";
    public const string InputChoices = "off, redacted or full";
    public const string AccessChoices = "none, own or all";

    public static string ToText(RecordingMode mode) => mode switch
    {
        RecordingMode.Off => "off",
        RecordingMode.Required => "required",
        _ => "best-effort",
    };

    public static string ToText(InputRecording input) => input switch
    {
        InputRecording.Off => "off",
        InputRecording.Full => "full",
        _ => "redacted",
    };

    public static string ToText(RecordingsAccess access) => access switch
    {
        RecordingsAccess.Own => "own",
        RecordingsAccess.All => "all",
        _ => "none",
    };

    public static RecordingMode ParseMode(string text) => Normalize(text) switch
    {
        "off" => RecordingMode.Off,
        "besteffort" => RecordingMode.BestEffort,
        "required" => RecordingMode.Required,
        _ => throw new ArgumentException($"unknown recording mode '{text}' (use {ModeChoices})"),
    };

    public static InputRecording ParseInput(string text) => Normalize(text) switch
    {
        "off" => InputRecording.Off,
        "redacted" => InputRecording.Redacted,
        "full" => InputRecording.Full,
        _ => throw new ArgumentException($"unknown input recording '{text}' (use {InputChoices})"),
    };

    public static RecordingsAccess ParseAccess(string text) => Normalize(text) switch
    {
        "none" => RecordingsAccess.None,
        "own" => RecordingsAccess.Own,
        "all" => RecordingsAccess.All,
        _ => throw new ArgumentException($"unknown recordings access '{text}' (use {AccessChoices})"),
    };

    private static string Normalize(string? text) =>
        (text ?? "").Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLower(CultureInfo.InvariantCulture);
}
