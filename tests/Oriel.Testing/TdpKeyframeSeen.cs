namespace Oriel.Testing;

/// <summary>One keyframe of a TDP recording as <see cref="TdpRecordingPlayback"/> saw it.</summary>
/// <param name="TimeUs">Its time.</param>
/// <param name="Canvas">The keyframe drawn alone on an empty canvas.</param>
/// <param name="DifferencesFromLinear">Pixels where it differs from the linear playback's canvas at that point.</param>
public sealed record TdpKeyframeSeen(long TimeUs, TdpCanvas Canvas, int DifferencesFromLinear);
