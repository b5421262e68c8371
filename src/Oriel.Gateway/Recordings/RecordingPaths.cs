using Oriel.Gateway.Configuration;
using Oriel.Gateway.Hosting;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// Where recordings live: <c>DATA/recordings/&lt;sessionId&gt;.orec</c> (desktop sessions) or <c>&lt;sessionId&gt;.cast</c>
/// (terminal sessions), in a directory only the gateway's user can read.
/// </summary>
public sealed class RecordingPaths(GatewayOptions options)
{
    public const string DirectoryName = "recordings";
    public const string StreamExtension = ".orec";

    /// <summary>The extension of a terminal session's asciicast v2 recording (docs/asciicast.md).</summary>
    public const string AsciicastExtension = ".cast";

    /// <summary>The extension of a passthrough recording transcoded to TDP (<see cref="TdpReplay"/>).</summary>
    public const string TdpReplayExtension = ".tdp.orec";

    public string Directory => System.IO.Path.Combine(options.DataDirectory, DirectoryName);

    /// <summary>The stream recording of a session. Session ids are the broker's hex ids; anything else is refused.</summary>
    public string StreamRecording(string sessionId)
    {
        CheckId(sessionId);
        return System.IO.Path.Combine(Directory, sessionId + StreamExtension);
    }

    /// <summary>The asciicast v2 recording of a terminal session (catalog kind <c>asciicast</c>, <see cref="AsciicastRecorder"/>).</summary>
    public string Asciicast(string sessionId)
    {
        CheckId(sessionId);
        return System.IO.Path.Combine(Directory, sessionId + AsciicastExtension);
    }

    /// <summary>The file a catalogued recording of <paramref name="kind"/> is in: <see cref="Asciicast"/> or <see cref="StreamRecording"/>.</summary>
    public string FileFor(string sessionId, string kind) =>
        kind == AsciicastRecorder.Kind ? Asciicast(sessionId) : StreamRecording(sessionId);

    /// <summary>
    /// The TDP recording transcoded from a passthrough (<c>rfb-passthrough</c>) recording, so that the same player
    /// plays it: <c>DATA/recordings/&lt;sessionId&gt;.tdp.orec</c> (made by <see cref="PlayableRecordings"/>).
    /// </summary>
    public string TdpReplay(string sessionId)
    {
        CheckId(sessionId);
        return System.IO.Path.Combine(Directory, sessionId + TdpReplayExtension);
    }

    private static void CheckId(string sessionId)
    {
        if (string.IsNullOrEmpty(sessionId) || !sessionId.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("a session id is letters and digits", nameof(sessionId));
        }
    }

    /// <summary>Creates the directory (0700), or makes an existing one 0700.</summary>
    public void EnsureDirectory() => PrivateDataDirectory.EnsurePrivateDirectory(Directory);
}
