using Oriel.Gateway.Sessions;

namespace Oriel.Gateway.Tests;

/// <summary>The protocol adapters by name (DESIGN rule 3): lookup, the kinds each offers, and what admission says of the rest.</summary>
public sealed class ProtocolRegistryTests
{
    [Fact]
    public void AnAdapterIsFoundByItsProtocolName_WhateverTheCase()
    {
        var vnc = Vnc();
        var registry = new ProtocolRegistry([vnc]);

        Assert.Same(vnc, registry.Find("vnc"));
        Assert.Same(vnc, registry.Find("VNC"));
        Assert.Equal(["vnc"], registry.Protocols);
    }

    [Fact]
    public void AnUnknownProtocol_OrAKindTheAdapterDoesNotOffer_FindsNothing()
    {
        var fake = new FakeProtocol("ssh", "SSH", SessionKinds.Rendered);
        var registry = new ProtocolRegistry([Vnc(), fake]);

        Assert.Null(registry.Find("rdp"));
        Assert.Null(registry.Find("rdp", SessionKinds.Rendered));
        Assert.Same(fake, registry.Find("ssh", SessionKinds.Rendered));
        Assert.Null(registry.Find("ssh", SessionKinds.Passthrough));
        Assert.NotNull(registry.Find("vnc", SessionKinds.Passthrough));
        Assert.Equal(["ssh", "vnc"], registry.Protocols);
    }

    [Fact]
    public void TwoAdaptersForOneName_AreRefusedWhenTheRegistryIsBuilt()
    {
        var e = Assert.Throws<ArgumentException>(() => new ProtocolRegistry([new FakeProtocol("vnc", "A", SessionKinds.Rendered), new FakeProtocol("VNC", "B", SessionKinds.Rendered)]));
        Assert.Contains("two adapters for protocol", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ProtocolRegistry([new FakeProtocol(" ", "Blank", SessionKinds.Rendered)]));
    }

    [Fact]
    public void ThePassthroughRefusalNamesTheProtocolsThatOfferIt()
    {
        Assert.Equal("Passthrough is offered for VNC targets only.",
            PassthroughSessionKind.UnsupportedMessage(new ProtocolRegistry([Vnc(), new FakeProtocol("ssh", "SSH", SessionKinds.Rendered)])));
        Assert.Equal("Passthrough is offered for RDP and VNC targets only.",
            PassthroughSessionKind.UnsupportedMessage(new ProtocolRegistry([Vnc(), new FakeProtocol("rdp", "RDP", SessionKinds.Passthrough)])));
        Assert.Equal("Passthrough is not offered for any target on this gateway.", PassthroughSessionKind.UnsupportedMessage(new ProtocolRegistry([])));
    }

    [Fact]
    public void VncOffersBothSessionKinds()
    {
        var vnc = Vnc();
        Assert.Equal("vnc", vnc.Protocol);
        Assert.Equal("VNC", vnc.DisplayName);
        Assert.True(vnc.SessionKinds.SetEquals([SessionKinds.Rendered, SessionKinds.Passthrough]));
    }

    private static VncProtocol Vnc() => new(Hosting.JpegSupport.None);
}
