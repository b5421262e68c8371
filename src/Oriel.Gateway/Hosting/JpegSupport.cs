using Oriel.Graphics.Jpeg;
using Oriel.Graphics.TurboJpeg;

namespace Oriel.Gateway.Hosting;

/// <summary>
/// How this host provides JPEG to the core: the core defines <see cref="IJpegLibrary"/> and loads no
/// native code; the gateway hands each session its own <see cref="JpegCodec"/> (codecs are not
/// thread-safe) over libjpeg-turbo when it is installed (<see cref="TurboJpeg"/>), or none, and the
/// session stays lossless. Registered as a singleton; tests may register another.
/// </summary>
public sealed class JpegSupport
{
    private readonly Func<IJpegLibrary>? _library;

    /// <param name="library">Makes one library instance per codec; null: no JPEG.</param>
    public JpegSupport(Func<IJpegLibrary>? library)
    {
        _library = library;
    }

    /// <summary>No JPEG: desktops stay lossless.</summary>
    public static JpegSupport None { get; } = new(null);

    /// <summary>True when <see cref="CreateCodec"/> gives a codec.</summary>
    public bool IsAvailable => _library is not null;

    /// <summary>libjpeg-turbo (Debian <c>libturbojpeg0</c>) when it loads, else <see cref="None"/>.</summary>
    public static JpegSupport TurboJpeg() =>
        TurboJpegLibrary.IsAvailable ? new JpegSupport(static () => new TurboJpegLibrary()) : None;

    /// <summary>A new codec the caller owns and disposes, or null when there is no JPEG library.</summary>
    public JpegCodec? CreateCodec() => _library is null ? null : new JpegCodec(_library());
}
