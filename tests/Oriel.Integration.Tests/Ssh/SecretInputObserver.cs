using System.Text.Json.Nodes;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Sessions;
using Oriel.Tdp;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>Notes, for each terminal input (109) the browser sent, whether the session had said its input was secret then.</summary>
internal sealed class SecretInputObserver : ISessionObserver
{
    private bool _secret;

    /// <summary>The secret-input changes in order.</summary>
    public List<bool> Changes { get; } = [];

    /// <summary>Each terminal input message as (text, secret at the time).</summary>
    public List<(string Text, bool Secret)> Inputs { get; } = [];

    public ITdpSender WrapSender(ITdpSender browser) => browser;

    public void BrowserMessage(TdpMessage message)
    {
        if (message is TerminalInputMessage input)
        {
            lock (Inputs)
            {
                Inputs.Add((System.Text.Encoding.UTF8.GetString(input.Data), _secret));
            }
        }
    }

    public void SurfaceOpened(DesktopSurface surface) => throw new InvalidOperationException("a terminal session has no desktop surface");

    public void SecretInput(bool active)
    {
        lock (Inputs)
        {
            _secret = active;
            Changes.Add(active);
        }
    }

    public void DescribeEnd(JsonObject details)
    {
    }

    public ValueTask FinishAsync(SessionEndReason reason, string userMessage) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
