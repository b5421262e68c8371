namespace Oriel.Rfb.Replay;

/// <summary>Limits and choices for <see cref="RfbStreamObserver"/>.</summary>
public sealed class RfbStreamObserverOptions
{
    /// <summary>Largest clipboard text (either direction) followed; larger is a <see cref="Oriel.Wire.DecodeException"/>.</summary>
    public int MaxClipboardBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Queue events for <see cref="RfbStreamObserver.TryDequeueEvent"/>. Off for a player that only wants the framebuffer, so nothing accumulates.</summary>
    public bool QueueEvents { get; init; } = true;

    /// <summary>
    /// Decodes Tight JpegCompression rectangles (the host provides it; not owned). Null: a JPEG
    /// rectangle in the stream is a <see cref="Oriel.Wire.DecodeException"/>.
    /// </summary>
    public Oriel.Graphics.Jpeg.JpegCodec? Jpeg { get; init; }
}
