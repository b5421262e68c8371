using System.Globalization;

namespace Oriel.Recording;

/// <summary>
/// One asciicast v2 event line (docs/asciicast.md): <c>[time, code, data]</c>, with the time in whole
/// microseconds since the start of the recording (the file holds seconds with six decimals).
/// </summary>
public readonly record struct AsciicastEvent(long TimeMicroseconds, AsciicastEventCode Code, string Data)
{
    /// <summary>Largest column or row count a resize event or the header may carry.</summary>
    public const int MaxDimension = ushort.MaxValue;

    /// <summary>Latest event time, in microseconds: 10^9 seconds, about 31 years, which the six-decimal form holds exactly.</summary>
    public const long MaxTimeMicroseconds = 1_000_000_000_000_000;

    /// <summary>
    /// Reads the <c>COLSxROWS</c> data of a <see cref="AsciicastEventCode.Resize"/> event: ASCII digits, an
    /// <c>x</c>, ASCII digits, each count 1..<see cref="MaxDimension"/>. False for anything else.
    /// </summary>
    public static bool TryParseSize(ReadOnlySpan<char> data, out int columns, out int rows)
    {
        columns = 0;
        rows = 0;
        var x = data.IndexOf('x');
        return x > 0
            && TryParseDimension(data[..x], out columns)
            && TryParseDimension(data[(x + 1)..], out rows);
    }

    /// <summary>The size of a <see cref="AsciicastEventCode.Resize"/> event; see <see cref="TryParseSize"/>.</summary>
    public bool TryGetSize(out int columns, out int rows)
    {
        if (Code == AsciicastEventCode.Resize) return TryParseSize(Data, out columns, out rows);
        columns = 0;
        rows = 0;
        return false;
    }

    private static bool TryParseDimension(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 5) return false;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9') return false;
        }
        value = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return value is >= 1 and <= MaxDimension;
    }
}
