using Oriel.Tdp;

namespace Oriel.Tdp.Tests;

public sealed class TdpClientHandshakeTests
{
    private static readonly ClientUsernameMessage Alice = new("alice");
    private static readonly ClientScreenSpecMessage Screen = new(1280, 720);

    [Fact]
    public void Username_then_screen_spec_makes_the_session_ready()
    {
        var h = new TdpClientHandshake();
        Assert.Equal(TdpHandshakeState.AwaitingUsername, h.State);
        Assert.Equal(TdpHandshakeResult.UsernameReceived, h.Accept(Alice));
        Assert.Equal("alice", h.Username);
        Assert.False(h.IsReady);
        Assert.Equal(TdpHandshakeResult.Ready, h.Accept(Screen));
        Assert.True(h.IsReady);
        Assert.Equal(Screen, h.ScreenSpec);
    }

    [Fact]
    public void Messages_before_the_handshake_are_dropped()
    {
        var h = new TdpClientHandshake();
        Assert.Equal(TdpHandshakeResult.Dropped, h.Accept(new MouseMoveMessage(1, 1)));
        Assert.Equal(TdpHandshakeResult.Dropped, h.Accept(Screen)); // screen spec before username
        Assert.Null(h.ScreenSpec);
        Assert.Equal(TdpHandshakeResult.UsernameReceived, h.Accept(Alice));
        Assert.Equal(TdpHandshakeResult.Dropped, h.Accept(new KeyboardInputMessage(0x1E, KeyState.Pressed)));
        Assert.Equal(TdpHandshakeResult.Dropped, h.Accept(new ClientUsernameMessage("mallory")));
        Assert.Equal("alice", h.Username);
        Assert.Equal(TdpHandshakeResult.Ready, h.Accept(Screen));
    }

    [Fact]
    public void After_ready_input_passes_through_and_a_screen_spec_is_a_resize()
    {
        var h = new TdpClientHandshake();
        h.Accept(Alice);
        h.Accept(Screen);
        Assert.Equal(TdpHandshakeResult.PassThrough, h.Accept(new MouseMoveMessage(5, 5)));
        Assert.Equal(TdpHandshakeResult.PassThrough, h.Accept(new FrameAckMessage(1)));
        Assert.Equal(TdpHandshakeResult.PassThrough, h.Accept(ClipboardDataMessage.FromText("x")));
        var bigger = new ClientScreenSpecMessage(1920, 1080);
        Assert.Equal(TdpHandshakeResult.PassThrough, h.Accept(bigger));
        Assert.Equal(bigger, h.ScreenSpec);
    }

    [Fact]
    public void The_username_cannot_change_and_server_messages_from_a_client_are_dropped()
    {
        var h = new TdpClientHandshake();
        h.Accept(Alice);
        h.Accept(Screen);
        Assert.Equal(TdpHandshakeResult.Dropped, h.Accept(new ClientUsernameMessage("root")));
        Assert.Equal("alice", h.Username);
        Assert.Equal(TdpHandshakeResult.Dropped, h.Accept(new FrameMarkerMessage(1)));
        Assert.Equal(TdpHandshakeResult.Dropped, h.Accept(new PngFrame2Message(0, 0, 1, 1, [])));
        Assert.Equal(TdpHandshakeResult.Dropped, h.Accept(new NotificationMessage("x", Severity.Error)));
    }

    [Fact]
    public void Without_resize_remote_the_screen_specs_resize_the_desktop()
    {
        var h = new TdpClientHandshake();
        h.Accept(Alice);
        h.Accept(Screen);
        Assert.Equal(RemoteResizeMode.Follow, h.ResizeMode);
    }

    [Fact]
    public void Resize_remote_between_username_and_screen_spec_sets_the_mode_the_session_opens_with()
    {
        var h = new TdpClientHandshake();
        Assert.Equal(TdpHandshakeResult.UsernameReceived, h.Accept(Alice));
        Assert.Equal(TdpHandshakeResult.ResizeModeReceived, h.Accept(new ResizeRemoteMessage(RemoteResizeMode.Keep)));
        Assert.Equal(TdpHandshakeState.AwaitingScreenSpec, h.State);
        Assert.Equal(RemoteResizeMode.Keep, h.ResizeMode);
        Assert.Equal(TdpHandshakeResult.Ready, h.Accept(Screen));
        Assert.Equal(RemoteResizeMode.Keep, h.ResizeMode);
    }

    [Fact]
    public void Resize_remote_before_the_username_is_dropped_like_any_early_message()
    {
        var h = new TdpClientHandshake();
        Assert.Equal(TdpHandshakeResult.Dropped, h.Accept(new ResizeRemoteMessage(RemoteResizeMode.Keep)));
        h.Accept(Alice);
        h.Accept(Screen);
        Assert.Equal(RemoteResizeMode.Follow, h.ResizeMode);
    }

    [Fact]
    public void Resize_remote_after_the_handshake_passes_through_and_changes_the_mode()
    {
        var h = new TdpClientHandshake();
        h.Accept(Alice);
        h.Accept(new ResizeRemoteMessage(RemoteResizeMode.Keep));
        h.Accept(Screen);
        Assert.Equal(TdpHandshakeResult.PassThrough, h.Accept(new ResizeRemoteMessage(RemoteResizeMode.Follow)));
        Assert.Equal(RemoteResizeMode.Follow, h.ResizeMode);
        Assert.Equal(TdpHandshakeResult.PassThrough, h.Accept(new ResizeRemoteMessage(RemoteResizeMode.Keep)));
        Assert.Equal(RemoteResizeMode.Keep, h.ResizeMode);
        Assert.True(TdpMessageDirection.IsSentByClient(TdpMessageType.ResizeRemote));
        Assert.False(TdpMessageDirection.IsSentByServer(TdpMessageType.ResizeRemote));
    }
}
