using Oriel.Rfb;
using Oriel.TestPeers;
using Oriel.Wire;

namespace Oriel.Integration.Tests.Rfb;

/// <summary>The RFB engine against a server that misbehaves on purpose: malformed input must end in a DecodeException, nothing else.</summary>
public sealed class RfbAgainstScriptedServerTests
{
    private static readonly RfbClientOptions s_options = new() { Security = RfbSecurityPolicy.NoAuthentication };

    [Fact(Timeout = 30_000)]
    public async Task Well_behaved_server_paints_the_framebuffer_red()
    {
        await using var server = ScriptedVncServer.Start(Misbehavior.WellBehaved, 64, 48, "scripted");
        await using var session = await RfbTestSession.ConnectAsync(server.Port, s_options);
        Assert.NotNull(await session.WaitForEventAsync(e => e is RfbUpdateCompleted, TimeSpan.FromSeconds(10)));
        Assert.Equal("scripted", session.Client.DesktopName);
        var fb = session.Client.Framebuffer!;
        Assert.Equal((64, 48), (fb.Width, fb.Height));
        Assert.All(fb.Pixels.ToArray(), p => Assert.Equal(ScriptedVncServer.Red, p));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_huge_desktop_name_length_is_refused_at_server_init()
    {
        await using var server = ScriptedVncServer.Start(Misbehavior.HugeNameLength);
        await Assert.ThrowsAsync<DecodeException>(() => RfbTestSession.ConnectAsync(server.Port, s_options));
    }

    [Theory(Timeout = 30_000)]
    [InlineData(Misbehavior.HugeCutTextLength)]
    [InlineData(Misbehavior.RectangleOutsideFramebuffer)]
    [InlineData(Misbehavior.UnknownMessageType)]
    public async Task Malformed_server_messages_end_in_a_DecodeException(Misbehavior script)
    {
        await using var server = ScriptedVncServer.Start(script);
        await using var session = await RfbTestSession.ConnectAsync(server.Port, s_options);
        await Assert.ThrowsAsync<DecodeException>(() => session.WaitForEventAsync(_ => false, TimeSpan.FromSeconds(10)));
        Assert.Equal(RfbPhase.Closed, session.Client.Phase);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_connection_closed_mid_update_leaves_the_update_incomplete()
    {
        await using var server = ScriptedVncServer.Start(Misbehavior.TruncatedThenClose);
        await using var session = await RfbTestSession.ConnectAsync(server.Port, s_options);
        Assert.Null(await session.WaitForEventAsync(e => e is RfbUpdateCompleted, TimeSpan.FromSeconds(10)));
        Assert.True(session.ServerClosed);
        Assert.DoesNotContain(session.History, e => e is RfbUpdateCompleted);
    }
}
