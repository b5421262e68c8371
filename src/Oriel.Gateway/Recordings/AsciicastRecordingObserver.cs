using System.Text.Json.Nodes;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Sessions;
using Oriel.Tdp;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// A rendered terminal session's recording as the session host sees it: the <see cref="AsciicastRecorder"/> tees the
/// outbound terminal output, hears the browser's resizes and input, is told when input is secret, and is finished with
/// the end reason. A terminal has no desktop surface, so <see cref="SurfaceOpened(DesktopSurface)"/> does nothing.
/// </summary>
internal sealed class AsciicastRecordingObserver(AsciicastRecorder recorder) : ISessionObserver
{
    public AsciicastRecorder Recorder => recorder;

    public ITdpSender WrapSender(ITdpSender browser) => recorder.WrapSender(browser);

    public void BrowserMessage(TdpMessage message) => recorder.BrowserMessage(message);

    public void SurfaceOpened(DesktopSurface surface)
    {
    }

    public void SecretInput(bool active) => recorder.SecretInput(active);

    public ValueTask FinishAsync(SessionEndReason reason, string userMessage) => new(recorder.FinishAsync(reason, userMessage));

    public void DescribeEnd(JsonObject details) => recorder.DescribeEnd(details);

    public ValueTask DisposeAsync() => recorder.DisposeAsync();
}
