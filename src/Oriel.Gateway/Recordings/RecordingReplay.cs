using Oriel.Recording;
using Oriel.Rfb.Replay;
using Oriel.Wire;

namespace Oriel.Gateway.Recordings;

/// <summary>What <see cref="RecordingReplayer"/> rebuilt: the header, the observer (framebuffer, desktop name, encodings), and how the file ended.</summary>
/// <param name="Header">The file's header: user, target, session.</param>
/// <param name="Observer">The observer after the last data record; <c>Observer.Framebuffer</c> is the last screen.</param>
/// <param name="IsComplete">The file ends with its End record.</param>
/// <param name="Damage">Where a damaged or cut-short file stopped being readable, if it did.</param>
/// <param name="LastUpdateBoundaryMicroseconds">Time of the last data record after which the screen was whole.</param>
public sealed record RecordingReplay(StreamRecordingHeader Header, RfbStreamObserver Observer, bool IsComplete, DecodeException? Damage, long LastUpdateBoundaryMicroseconds);
