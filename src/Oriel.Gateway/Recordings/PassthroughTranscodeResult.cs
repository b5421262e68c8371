using Oriel.Wire;

namespace Oriel.Gateway.Recordings;

/// <summary>What <see cref="PassthroughTranscoder"/> made of one <c>rfb-passthrough</c> recording.</summary>
/// <param name="SourceBytes">Bytes of the source the transcode read (the file's length when it started).</param>
/// <param name="SourceComplete">The source ended with its End record: the session is over and nothing was lost.</param>
/// <param name="SourceDamage">Where the source stopped being readable (a crash's torn tail, a partial record), if it did.</param>
/// <param name="Frames">TDP frames written (each one FrameMarker), lossless refinements included.</param>
/// <param name="Keyframes">Keyframes written.</param>
/// <param name="DurationMicroseconds">The TDP recording's duration: the source's, or the time of its last readable record.</param>
public sealed record PassthroughTranscodeResult(long SourceBytes, bool SourceComplete, DecodeException? SourceDamage, int Frames, int Keyframes, long DurationMicroseconds);
