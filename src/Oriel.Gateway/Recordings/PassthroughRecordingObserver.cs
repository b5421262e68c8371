using System.Text.Json.Nodes;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Sessions;
using Oriel.Tdp;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// A passthrough session's recording as the session host sees it: the raw stream recorder, handed to the protocol's
/// relay (<see cref="RelaySessionContext.Recorder"/>), which alone knows the wire; finished with the end reason.
/// </summary>
internal sealed class PassthroughRecordingObserver(PassthroughRecorder recorder) : ISessionObserver
{
    public PassthroughRecorder Recorder => recorder;

    /// <summary>A relay sends no TDP: nothing to wrap.</summary>
    public ITdpSender WrapSender(ITdpSender browser) => browser;

    public void BrowserMessage(TdpMessage message)
    {
    }

    /// <summary>A relay has no surface.</summary>
    public void SurfaceOpened(DesktopSurface surface)
    {
    }

    public ValueTask FinishAsync(SessionEndReason reason, string userMessage) => new(recorder.FinishAsync(reason, userMessage));

    public void DescribeEnd(JsonObject details) => recorder.DescribeEnd(details);

    public ValueTask DisposeAsync() => recorder.DisposeAsync();
}
