using System.Globalization;
using System.Text;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// The file panel's checks on paths the browser sends, before any reaches the server: no NUL and no control characters
/// (C0, DEL, C1) anywhere, since a name holding them can deceive a listing, a terminal or an audit reader; well-formed
/// Unicode (the server gets UTF-8); at most <see cref="MaxPathBytes"/> bytes in all and <see cref="MaxNameBytes"/> per
/// element (the common PATH_MAX and NAME_MAX). A path not starting with "/" is relative to the login's home directory
/// and is resolved against it here, so the audit names the full path.
/// </summary>
public static class SshFilePaths
{
    /// <summary>Longest path accepted, in UTF-8 bytes.</summary>
    public const int MaxPathBytes = 4096;

    /// <summary>Longest path element accepted, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 255;

    /// <summary>
    /// Why <paramref name="path"/> is refused, as a sentence for the user; null when it may be used. An empty path is
    /// refused here (callers that mean the home directory say so before checking).
    /// </summary>
    public static string? Problem(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "A path is required.";
        }

        foreach (var c in path)
        {
            if (c == '\0')
            {
                return "The path contains a NUL character, which file names may not hold.";
            }

            if (IsControl(c))
            {
                return $"The path contains the control character U+{(int)c:X4}, which file names here may not hold.";
            }
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(path);
        }
        catch (EncoderFallbackException)
        {
            return "The path is not well-formed Unicode.";
        }

        if (bytes > MaxPathBytes)
        {
            return $"The path is {bytes} bytes long; at most {MaxPathBytes} are allowed.";
        }

        foreach (var element in path.Split('/'))
        {
            var length = StrictUtf8.GetByteCount(element);
            if (length > MaxNameBytes)
            {
                return $"A name in the path is {length} bytes long; at most {MaxNameBytes} are allowed.";
            }
        }

        return null;
    }

    /// <summary>True for C0 controls (U+0000-U+001F), DEL (U+007F) and C1 controls (U+0080-U+009F).</summary>
    public static bool IsControl(char c) => c < 0x20 || c is >= '\u007f' and <= '\u009f';

    /// <summary>
    /// The absolute form of a checked path: as given when it starts with "/", otherwise joined to
    /// <paramref name="home"/>. Nothing else is normalised: "." and ".." are the server's to resolve.
    /// </summary>
    public static string Resolve(string home, string path)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(path);
        if (path.StartsWith('/'))
        {
            return path;
        }

        return home.EndsWith('/') ? home + path : home + "/" + path;
    }

    /// <summary>The last element of a path ("" for "/"), trailing slashes ignored.</summary>
    public static string LastElement(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    /// <summary>The parent directory of an absolute path ("/" for "/" and for "/x").</summary>
    public static string Parent(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash <= 0 ? "/" : trimmed[..slash];
    }

    /// <summary>Longest path kept in an audit row, in characters.</summary>
    public const int MaxAuditedChars = 600;

    /// <summary>
    /// A path as the audit keeps it: control characters written as <c>\uXXXX</c> text (so a refused name cannot
    /// deceive whoever reads the audit in a terminal) and cut to <see cref="MaxAuditedChars"/> characters.
    /// </summary>
    public static string ForAudit(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "";
        }

        var sb = new StringBuilder(Math.Min(path.Length, MaxAuditedChars) + 8);
        foreach (var c in path)
        {
            if (sb.Length >= MaxAuditedChars)
            {
                sb.Append('…');
                break;
            }

            if (IsControl(c))
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
