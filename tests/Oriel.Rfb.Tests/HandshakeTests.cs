using System.Text;
using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Rfb.Tests;

public class HandshakeTests
{
    private const string Challenge = "000102030405060708090a0b0c0d0e0f";
    private const string SecretResponse = "ee22539f33a5983ec12f9c2edbc995dd"; // see VncAuthenticationTests (OpenSSL oracle)

    public static TheoryData<int, byte, int> Matrix()
    {
        var data = new TheoryData<int, byte, int>();
        foreach (var minor in new[] { 3, 7, 8 })
        {
            foreach (var type in new[] { RfbSecurityType.None, RfbSecurityType.VncAuthentication })
            {
                foreach (var chunk in new[] { 1, 5, int.MaxValue })
                {
                    data.Add(minor, type, chunk);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Handshake(int minor, byte securityType, int chunk)
    {
        var options = new RfbClientOptions { Password = securityType == RfbSecurityType.VncAuthentication ? "secret" : null };
        var s = new ScriptedServer(options, chunk);
        var version = Encoding.ASCII.GetBytes($"RFB 003.00{minor}\n");

        s.Send(version);
        s.ExpectClient(version);
        Assert.Equal(RfbPhase.Security, s.Client.Phase);

        // None in 3.3/3.7 skips SecurityResult ([RFC 6143] 7.2.1): ClientInit (shared) follows at once.
        var skipsResult = securityType == RfbSecurityType.None && minor != 8;
        var clientInit = skipsResult ? "01" : "";
        if (minor == 3)
        {
            s.Send($"000000 {securityType:x2}"); // the server decides; the client sends no choice
            s.ExpectClient(clientInit);
        }
        else
        {
            s.Send($"01 {securityType:x2}");
            s.ExpectClient($"{securityType:x2}" + clientInit);
        }

        if (securityType == RfbSecurityType.VncAuthentication)
        {
            Assert.Equal(RfbPhase.VncAuthentication, s.Client.Phase);
            s.Send(Challenge);
            s.ExpectClient(SecretResponse);
        }

        if (!skipsResult)
        {
            Assert.Equal(RfbPhase.SecurityResult, s.Client.Phase);
            s.Send("00000000");
            s.ExpectClient("01"); // ClientInit, shared
        }
        Assert.Equal(RfbPhase.ServerInit, s.Client.Phase);

        s.Send(ScriptedServer.ServerInit(640, 480, "Desk"));
        s.ExpectClient(ScriptedServer.InitialClientRequests(640, 480));
        Assert.Equal(RfbPhase.Normal, s.Client.Phase);
        Assert.Equal(new RfbConnected("Desk", 640, 480), s.Single<RfbConnected>());
        Assert.Equal(640, s.Client.Framebuffer!.Width);
        Assert.Equal("Desk", s.Client.DesktopName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public void VeNCryptX509PlainWaitsForTlsThenSendsCredentials(int chunk)
    {
        var s = new ScriptedServer(new RfbClientOptions { Username = "user", Password = "secret" }, chunk);
        s.Send(HexVectors.Load("protocol_version_3_8"));
        s.ExpectClient(HexVectors.Load("protocol_version_3_8"));
        s.Send("03 01 02 13"); // None, VncAuth, VeNCrypt: TLS is preferred
        s.ExpectClient("13");
        s.Send(HexVectors.Load("vencrypt_version_0_2"));
        s.ExpectClient(HexVectors.Load("vencrypt_version_0_2"));
        s.Send("00"); // version ack
        s.Send(HexVectors.Load("vencrypt_subtypes")); // X509Plain, TLSPlain
        s.ExpectClient(HexVectors.Load("vencrypt_subtype_x509plain"));
        Assert.Equal(RfbPhase.VeNCryptSubtypeAck, s.Client.Phase);
        s.Send("01"); // subtype ack
        Assert.Equal(RfbPhase.TlsHandshake, s.Client.Phase);
        Assert.Equal(new RfbTlsRequired(RfbVeNCryptSubtype.X509Plain), s.Single<RfbTlsRequired>());
        s.ExpectClient("");

        // The driver runs TLS; bytes decrypted after that flow in again.
        s.Client.TlsEstablished();
        s.ExpectClient(HexVectors.Load("vencrypt_plain"));
        Assert.Equal(RfbPhase.SecurityResult, s.Client.Phase);
        s.Send("00000000");
        s.ExpectClient("01");
        s.Send(ScriptedServer.ServerInit(16, 16));
        Assert.Equal(RfbPhase.Normal, s.Client.Phase);
    }

    [Fact]
    public void BytesArrivingDuringTheTlsPauseWaitForTlsEstablished()
    {
        var s = new ScriptedServer(new RfbClientOptions { Username = "user", Password = "secret" });
        s.Send(HexVectors.Load("protocol_version_3_8"));
        s.Send("01 13 0002 00");
        s.Send(HexVectors.Load("vencrypt_subtypes"));
        s.Send("01");
        s.Take();
        s.Send("00000000"); // (a driver that already decrypted the SecurityResult)
        Assert.Equal(RfbPhase.TlsHandshake, s.Client.Phase);
        s.ExpectClient("");
        s.Client.TlsEstablished();
        s.ExpectClient([.. HexVectors.Load("vencrypt_plain"), 0x01]);
        Assert.Equal(RfbPhase.ServerInit, s.Client.Phase);
    }

    [Fact]
    public void ServerBytesBeforeTheTlsHandshakeAreMalformed()
    {
        var s = new ScriptedServer(new RfbClientOptions { Username = "user", Password = "secret" });
        s.Send(HexVectors.Load("protocol_version_3_8"));
        s.Send("01 13 0002 00");
        s.Send(HexVectors.Load("vencrypt_subtypes"));
        Assert.Throws<DecodeException>(() => s.Send("01 16 03 01"));
    }

    [Fact]
    public void VeNCryptTlsVncDoesVncAuthenticationAfterTls()
    {
        var s = new ScriptedServer(new RfbClientOptions { Password = "secret" });
        s.Send(HexVectors.Load("protocol_version_3_8"));
        s.Send("01 13");
        s.Send("00 02 00 02 00000102 00000106"); // TLSVnc, X509Plain (no user name: X509Plain is skipped)
        s.Take();
        s.Send("01");
        Assert.Equal(new RfbTlsRequired(RfbVeNCryptSubtype.TlsVnc), s.Single<RfbTlsRequired>());
        s.Client.TlsEstablished();
        Assert.Equal(RfbPhase.VncAuthentication, s.Client.Phase);
        s.Send(Challenge);
        s.ExpectClient(SecretResponse);
    }

    [Fact]
    public void PlainWithoutTlsIsRefusedByDefault()
    {
        var s = new ScriptedServer(new RfbClientOptions { Username = "u", Password = "p" });
        s.Send(HexVectors.Load("protocol_version_3_8"));
        var ex = Assert.Throws<RfbSecurityException>(() => s.Send("01 13 00 02 00 01 00000100"));
        Assert.Equal(RfbSecurityFailure.NoAcceptableSecurityType, ex.Kind);
    }

    [Fact]
    public void PlainWithoutTlsWhenThePolicyAllowsIt()
    {
        var s = new ScriptedServer(new RfbClientOptions { Username = "user", Password = "secret", Security = RfbSecurityPolicy.Plain });
        s.Send(HexVectors.Load("protocol_version_3_8"));
        s.Take();
        s.Send("01 13 00 02 00 01 00000100");
        s.ExpectClient("13 0002 00000100" + Convert.ToHexString(HexVectors.Load("vencrypt_plain")));
        Assert.Equal(RfbPhase.SecurityResult, s.Client.Phase);
    }

    [Fact]
    public void WrongPasswordRaisesTheServersReason()
    {
        var s = new ScriptedServer(new RfbClientOptions { Password = "wrong" });
        s.Send(HexVectors.Load("protocol_version_3_8"));
        s.Send("01 02");
        s.Send(Challenge);
        var ex = Assert.Throws<RfbSecurityException>(() => s.Send(HexVectors.Load("security_result_failed_3_8")));
        Assert.Equal(RfbSecurityFailure.AuthenticationFailed, ex.Kind);
        Assert.Equal("Authentication failure", ex.Reason);
        Assert.Equal(RfbPhase.Closed, s.Client.Phase);
        Assert.Throws<InvalidOperationException>(() => s.Client.Receive([0]));
    }

    [Fact]
    public void WrongPasswordOn37HasNoReasonString()
    {
        var s = new ScriptedServer(new RfbClientOptions { Password = "wrong" });
        s.Send(Encoding.ASCII.GetBytes("RFB 003.007\n"));
        s.Send("01 02");
        s.Send(Challenge);
        var ex = Assert.Throws<RfbSecurityException>(() => s.Send("00000001"));
        Assert.Equal(RfbSecurityFailure.AuthenticationFailed, ex.Kind);
    }

    [Fact]
    public void ServerRefusalBeforeSecurityCarriesItsReason()
    {
        var s = new ScriptedServer();
        s.Send(HexVectors.Load("protocol_version_3_8"));
        var ex = Assert.Throws<RfbSecurityException>(() => s.Send(HexVectors.Load("security_types_failure")));
        Assert.Equal(RfbSecurityFailure.ConnectionFailed, ex.Kind);
        Assert.Equal("Server busy", ex.Reason);
    }

    [Fact]
    public void VncAuthenticationWithoutPasswordIsMissingCredentials()
    {
        var s = new ScriptedServer();
        s.Send(HexVectors.Load("protocol_version_3_8"));
        var ex = Assert.Throws<RfbSecurityException>(() => s.Send("01 02"));
        Assert.Equal(RfbSecurityFailure.MissingCredentials, ex.Kind);
    }

    [Fact]
    public void NoAcceptableType()
    {
        var s = new ScriptedServer(new RfbClientOptions { Security = RfbSecurityPolicy.VncAuthentication, Password = "x" });
        s.Send(HexVectors.Load("protocol_version_3_8"));
        var ex = Assert.Throws<RfbSecurityException>(() => s.Send("02 01 10"));
        Assert.Equal(RfbSecurityFailure.NoAcceptableSecurityType, ex.Kind);
    }

    [Fact]
    public void Version33ServerChoosingAnUnknownTypeIsMalformed()
    {
        var s = new ScriptedServer();
        s.Send(HexVectors.Load("protocol_version_3_3"));
        Assert.Throws<DecodeException>(() => s.Send("00000013"));
    }

    [Fact]
    public void ServerInitWithAnAbsurdSizeIsMalformed()
    {
        var s = new ScriptedServer();
        s.Send(HexVectors.Load("protocol_version_3_8"));
        s.Send("01 01 00000000");
        var init = ScriptedServer.ServerInit(640, 480);
        init[0] = 0xFF; // width 0xFF80 > 16384
        Assert.Throws<DecodeException>(() => s.Send(init));
    }

    [Fact]
    public void InputBeforeConnectingIsAProgrammingError()
    {
        var s = new ScriptedServer();
        Assert.Throws<InvalidOperationException>(() => s.Client.SendKey(0x61, true));
        Assert.Throws<InvalidOperationException>(() => s.Client.TlsEstablished());
    }
}
