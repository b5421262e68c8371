namespace Oriel.Gateway.Recordings.Export;

/// <summary>How far an export is: video frames handed to the encoder out of the total.</summary>
public readonly record struct RecordingExportProgress(long FramesDone, long FramesTotal)
{
    /// <summary>0..1.</summary>
    public double Fraction => FramesTotal <= 0 ? 0 : Math.Clamp((double)FramesDone / FramesTotal, 0, 1);
}
