using System.Text.Json.Nodes;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Sessions;
using Oriel.Tdp;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// A rendered session's recording as the session host sees it: the <see cref="TdpRecorder"/> tees the outbound TDP
/// stream, hears the browser's messages, takes keyframes from the surface, and is finished with the end reason.
/// </summary>
internal sealed class TdpRecordingObserver(RecordingService recordings, TdpRecorder recorder) : ISessionObserver
{
    public TdpRecorder Recorder => recorder;

    public ITdpSender WrapSender(ITdpSender browser) => recorder.Wrap(browser);

    public void BrowserMessage(TdpMessage message) => recorder.BrowserSent(message);

    public void SurfaceOpened(DesktopSurface surface) => recorder.Attach(surface);

    public ValueTask FinishAsync(SessionEndReason reason, string userMessage) => new(recordings.CompleteAsync(recorder.File, reason, userMessage));

    public void DescribeEnd(JsonObject details) => RecordingEndDetails.Describe(recorder.File, details);

    public ValueTask DisposeAsync()
    {
        recorder.Dispose();
        return ValueTask.CompletedTask;
    }
}
