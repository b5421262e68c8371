namespace Oriel.Rfb;

/// <summary>A whole FramebufferUpdate ([RFC 6143] 7.6.1) has been applied. The driver decides when to call <see cref="RfbClient.RequestUpdate"/> next.</summary>
public sealed record RfbUpdateCompleted : RfbEvent
{
    /// <summary>The one instance the engine emits (no allocation per frame).</summary>
    public static readonly RfbUpdateCompleted Instance = new();
}
