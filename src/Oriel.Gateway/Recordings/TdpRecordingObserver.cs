using System.Text.Json.Nodes;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Sessions;
using Oriel.Tdp;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// A rendered session's recording as the session host sees it: the <see cref="TdpRecorder"/> tees the outbound TDP
/// stream, hears the browser's messages, takes keyframes from the surface, and is finished with the end reason.
/// </summary>
internal sealed class TdpRecordingObserver(TdpRecorder recorder) : ISessionObserver
{
    public TdpRecorder Recorder => recorder;

    public ITdpSender WrapSender(ITdpSender browser) => recorder.WrapSender(browser);

    public void BrowserMessage(TdpMessage message) => recorder.BrowserMessage(message);

    public void SurfaceOpened(DesktopSurface surface) => recorder.SurfaceOpened(surface);

    public ValueTask FinishAsync(SessionEndReason reason, string userMessage) => new(recorder.FinishAsync(reason, userMessage));

    public void DescribeEnd(JsonObject details) => recorder.DescribeEnd(details);

    public ValueTask DisposeAsync() => recorder.DisposeAsync();
}
