using System.Runtime.InteropServices;

namespace Oriel.Graphics.TurboJpeg;

/// <summary>A TurboJPEG instance handle (<c>tjhandle</c>), released with <c>tjDestroy</c>.</summary>
internal sealed class TurboJpegHandle : SafeHandle
{
    public TurboJpegHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    /// <summary>Creates a compressor handle; throws when the library cannot make one.</summary>
    public static TurboJpegHandle CreateCompressor() => Wrap(TurboJpegNative.tjInitCompress(), "compressor");

    /// <summary>Creates a decompressor handle; throws when the library cannot make one.</summary>
    public static TurboJpegHandle CreateDecompressor() => Wrap(TurboJpegNative.tjInitDecompress(), "decompressor");

    /// <summary>The library's message for the last failure on this handle.</summary>
    public string LastError()
    {
        var p = TurboJpegNative.tjGetErrorStr2(this);
        return p == nint.Zero ? "unknown TurboJPEG error" : Marshal.PtrToStringUTF8(p) ?? "unknown TurboJPEG error";
    }

    protected override bool ReleaseHandle() => TurboJpegNative.tjDestroy(handle) == 0;

    private static TurboJpegHandle Wrap(nint raw, string kind)
    {
        if (raw == nint.Zero)
        {
            throw new InvalidOperationException($"TurboJPEG could not create a {kind} (out of memory?)");
        }
        var h = new TurboJpegHandle();
        h.SetHandle(raw);
        return h;
    }
}
