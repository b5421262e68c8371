using System.Text;

namespace Oriel.Recording;

/// <summary>
/// JSON string escaping for asciicast lines (RFC 8259 section 7): the quotation mark, the reverse solidus
/// and every control character U+0000..U+001F are escaped (the two-character forms <c>\b \f \n \r \t</c>
/// where they exist, <c>\u00XX</c> with lower-case hex otherwise); everything else, DEL and non-ASCII
/// included, is written as UTF-8. This is also what Python's <c>json.dumps(..., ensure_ascii=False)</c>
/// writes, the form asciinema's own recorder produces.
/// </summary>
internal static class AsciicastJson
{
    /// <summary>Most bytes one UTF-16 unit or one input byte can become: <c>\u00XX</c>.</summary>
    public const int MaxBytesPerUnit = 6;

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>Writes <paramref name="rune"/> escaped into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int WriteRune(Rune rune, Span<byte> destination)
    {
        var v = rune.Value;
        if (v >= 0x20 && v != '"' && v != '\\') return rune.EncodeToUtf8(destination);
        destination[0] = (byte)'\\';
        byte shortForm = v switch
        {
            '"' => (byte)'"',
            '\\' => (byte)'\\',
            '\b' => (byte)'b',
            '\f' => (byte)'f',
            '\n' => (byte)'n',
            '\r' => (byte)'r',
            '\t' => (byte)'t',
            _ => 0,
        };
        if (shortForm != 0)
        {
            destination[1] = shortForm;
            return 2;
        }
        destination[1] = (byte)'u';
        destination[2] = (byte)'0';
        destination[3] = (byte)'0';
        destination[4] = Hex[v >> 4];
        destination[5] = Hex[v & 0xF];
        return 6;
    }

    /// <summary>
    /// Writes <paramref name="text"/> as a quoted JSON string; a lone surrogate becomes U+FFFD. Needs at most
    /// <c>2 + MaxBytesPerUnit * text.Length</c> bytes.
    /// </summary>
    public static int WriteString(string text, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        var n = 1 + WriteStringContent(text, destination[1..]);
        destination[n++] = (byte)'"';
        return n;
    }

    /// <summary>Writes <paramref name="text"/> escaped, without the quotation marks; a lone surrogate becomes U+FFFD.</summary>
    public static int WriteStringContent(string text, Span<byte> destination)
    {
        var n = 0;
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            Rune.DecodeFromUtf16(rest, out var rune, out var used); // invalid → U+FFFD, used ≥ 1
            n += WriteRune(rune, destination[n..]);
            rest = rest[used..];
        }
        return n;
    }

    /// <summary>Writes ASCII <paramref name="text"/> as it is.</summary>
    public static int WriteAscii(string text, Span<byte> destination) => Encoding.ASCII.GetBytes(text, destination);

    /// <summary>Writes a time in microseconds as seconds with exactly six decimals (<c>1.250000</c>).</summary>
    public static int WriteTime(long microseconds, Span<byte> destination)
    {
        var seconds = microseconds / 1_000_000;
        var fraction = microseconds % 1_000_000;
        seconds.TryFormat(destination, out var n, default, System.Globalization.CultureInfo.InvariantCulture);
        destination[n++] = (byte)'.';
        fraction.TryFormat(destination[n..], out var f, "D6", System.Globalization.CultureInfo.InvariantCulture);
        return n + f;
    }
}
