using Oriel.Wire;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// ExtendedDesktopSize pseudo-encoding (-308) payload, rfbproto "ExtendedDesktopSize
/// Pseudo-encoding": number-of-screens u8, padding 3, then that many 16-byte SCREENs. (The
/// rectangle header carries the reason in x, the status in y and the new size in width, height.)
/// </summary>
public sealed record ExtendedDesktopSizePayload(IReadOnlyList<DesktopScreen> Screens)
{
    /// <summary>Most screens accepted.</summary>
    public const int MaxScreens = 64;

    /// <summary>Fixed bytes before the screens.</summary>
    public const int HeaderSize = 4;

    public int Size => PayloadLength(Screens.Count);

    /// <summary>Payload bytes for <paramref name="numberOfScreens"/> screens.</summary>
    public static int PayloadLength(int numberOfScreens) => HeaderSize + numberOfScreens * DesktopScreen.Size;

    /// <summary>
    /// Framing: once the first byte is buffered, the whole payload length (capped); false while
    /// nothing is buffered. Throws <see cref="DecodeException"/> over <see cref="MaxScreens"/>.
    /// </summary>
    public static bool TryGetLength(ReadOnlySpan<byte> buffered, out int length)
    {
        if (buffered.IsEmpty)
        {
            length = 0;
            return false;
        }
        var n = buffered[0];
        if (n > MaxScreens)
        {
            throw new DecodeException("ExtendedDesktopSize", 0, $"{n} screens exceed the cap of {MaxScreens}");
        }
        length = PayloadLength(n);
        return true;
    }

    public static ExtendedDesktopSizePayload Decode(ref SpanReader r)
    {
        var start = r.Position;
        var n = r.ReadByte("number-of-screens");
        if (n > MaxScreens)
        {
            throw new DecodeException("ExtendedDesktopSize", start, $"{n} screens exceed the cap of {MaxScreens}");
        }
        r.Skip(3);
        var screens = new DesktopScreen[n];
        for (var i = 0; i < n; i++)
        {
            screens[i] = DesktopScreen.Decode(ref r);
        }
        return new ExtendedDesktopSizePayload(screens);
    }

    public void Encode(ref SpanWriter w)
    {
        if (Screens.Count > MaxScreens)
        {
            throw new InvalidOperationException($"{Screens.Count} screens exceed the cap of {MaxScreens}");
        }
        w.WriteByte((byte)Screens.Count);
        w.WriteZeros(3);
        foreach (var s in Screens)
        {
            s.Encode(ref w);
        }
    }
}
