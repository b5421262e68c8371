using Oriel.Gateway.Desktop;
using Oriel.Tdp;

namespace Oriel.Gateway.Tests;

/// <summary>A browser stand-in for <see cref="DesktopSurface"/> unit tests: every message sent, decoded back from its wire bytes.</summary>
internal sealed class RecordingTdpSender : ITdpSender
{
    public List<TdpMessage> Sent { get; } = [];

    public ValueTask SendAsync(TdpMessage message)
    {
        Sent.Add(TdpCodec.Decode(TdpCodec.Encode(message)));
        return ValueTask.CompletedTask;
    }

    public ValueTask SendFragmentedAsync(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> payload)
    {
        var whole = new byte[header.Length + payload.Length];
        header.Span.CopyTo(whole);
        payload.Span.CopyTo(whole.AsSpan(header.Length));
        Sent.Add(TdpCodec.Decode(whole));
        return ValueTask.CompletedTask;
    }

    /// <summary>Returns what was sent since the last call and forgets it.</summary>
    public List<TdpMessage> Take()
    {
        var taken = new List<TdpMessage>(Sent);
        Sent.Clear();
        return taken;
    }
}
