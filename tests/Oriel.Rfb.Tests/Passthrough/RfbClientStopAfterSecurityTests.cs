using System.Text;
using Oriel.Rfb.Messages;

namespace Oriel.Rfb.Tests.Passthrough;

/// <summary>
/// <see cref="RfbClientOptions.StopAfterSecurity"/>: the engine logs in and stops before ClientInit, for the
/// passthrough gateway. Same server vectors as HandshakeTests; the difference is what the client does NOT send.
/// </summary>
public class RfbClientStopAfterSecurityTests
{
    private const string Challenge = "000102030405060708090a0b0c0d0e0f";
    private const string SecretResponse = "ee22539f33a5983ec12f9c2edbc995dd"; // see VncAuthenticationTests (OpenSSL oracle)

    [Theory]
    [InlineData(8, RfbSecurityType.None)]
    [InlineData(8, RfbSecurityType.VncAuthentication)]
    [InlineData(7, RfbSecurityType.None)]
    [InlineData(7, RfbSecurityType.VncAuthentication)]
    [InlineData(3, RfbSecurityType.None)]
    [InlineData(3, RfbSecurityType.VncAuthentication)]
    public void StopsInAuthenticatedWithoutClientInit(int minor, byte securityType)
    {
        var options = new RfbClientOptions { Password = "secret", StopAfterSecurity = true };
        var s = new ScriptedServer(options);
        var version = Encoding.ASCII.GetBytes($"RFB 003.00{minor}\n");
        s.Send(version);
        s.ExpectClient(version);
        if (minor == 3)
        {
            s.Send($"000000 {securityType:x2}");
            s.ExpectClient("");
        }
        else
        {
            s.Send($"01 {securityType:x2}");
            s.ExpectClient($"{securityType:x2}");
        }
        if (securityType == RfbSecurityType.VncAuthentication)
        {
            s.Send(Challenge);
            s.ExpectClient(SecretResponse);
        }
        if (securityType == RfbSecurityType.VncAuthentication || minor == 8)
        {
            Assert.Equal(RfbPhase.SecurityResult, s.Client.Phase);
            s.Send("00000000");
        }
        s.ExpectClient(""); // no ClientInit
        Assert.Equal(RfbPhase.Authenticated, s.Client.Phase);
        Assert.Equal(new RfbAuthenticated(new ProtocolVersionMessage(3, minor), securityType), s.Single<RfbAuthenticated>());
        Assert.Empty(s.Client.TakeUnprocessedInput());
        Assert.Null(s.Client.Framebuffer);
    }

    [Fact]
    public void BytesAfterSecurityResultAreLeftForTheCaller()
    {
        var s = new ScriptedServer(new RfbClientOptions { StopAfterSecurity = true });
        s.Send("524642203030332e3030380a");
        s.Send("01 01");
        s.Take();
        var serverInit = ScriptedServer.ServerInit(640, 480, "Desk");
        s.Send([0, 0, 0, 0, .. serverInit.AsSpan(0, 5)]); // SecurityResult OK and the start of ServerInit in one read
        Assert.Equal(RfbPhase.Authenticated, s.Client.Phase);
        s.Send(serverInit.AsSpan(5));                      // later reads are kept, not processed
        s.ExpectClient("");
        Assert.Equal(serverInit, s.Client.TakeUnprocessedInput());
        Assert.Empty(s.Client.TakeUnprocessedInput());
        Assert.Equal(RfbPhase.Authenticated, s.Client.Phase);
    }

    [Fact]
    public void VeNCryptX509VncStopsAfterSecurityResultFollowingTls()
    {
        var s = new ScriptedServer(new RfbClientOptions { Password = "secret", StopAfterSecurity = true, Security = RfbSecurityPolicy.X509Vnc });
        s.Send(HexVectors.Load("protocol_version_3_8"));
        s.Take();
        s.Send("01 13");
        s.ExpectClient("13");
        s.Send(HexVectors.Load("vencrypt_version_0_2"));
        s.Take();
        s.Send("00 01 00000105"); // ack, one subtype: X509Vnc (261)
        s.ExpectClient("00000105");
        s.Send("01");
        Assert.Equal(new RfbTlsRequired(RfbVeNCryptSubtype.X509Vnc), s.Single<RfbTlsRequired>());
        s.Client.TlsEstablished();
        s.Send(Challenge);
        s.ExpectClient(SecretResponse);
        s.Send("00000000");
        s.ExpectClient("");
        Assert.Equal(RfbPhase.Authenticated, s.Client.Phase);
        Assert.Equal((uint)RfbVeNCryptSubtype.X509Vnc, s.Single<RfbAuthenticated>().SecurityType);
    }

    [Fact]
    public void AFailedLoginIsStillASecurityException()
    {
        var s = new ScriptedServer(new RfbClientOptions { Password = "wrong", StopAfterSecurity = true });
        s.Send(HexVectors.Load("protocol_version_3_8"));
        s.Send("01 02");
        s.Send(Challenge);
        var e = Assert.Throws<RfbSecurityException>(() => s.Send(HexVectors.Load("security_result_failed_3_8")));
        Assert.Equal(RfbSecurityFailure.AuthenticationFailed, e.Kind);
        Assert.Equal(RfbPhase.Closed, s.Client.Phase);
    }
}
