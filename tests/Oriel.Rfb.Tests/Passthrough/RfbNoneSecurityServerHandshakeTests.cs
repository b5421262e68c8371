using System.Buffers;
using System.Text;
using Oriel.Rfb.Passthrough;
using Oriel.Wire;

namespace Oriel.Rfb.Tests.Passthrough;

/// <summary>
/// The None-security server handshake the passthrough gateway plays to a viewer: byte vectors per
/// [RFC 6143] 7.1-7.3.1 (server version "RFB 003.008\n"; 3.3: security-type u32 1; 3.7/3.8: list [1] and the
/// client's choice 01; 3.8 only: SecurityResult 00000000; ClientInit shared-flag), written out from the RFC.
/// </summary>
public class RfbNoneSecurityServerHandshakeTests
{
    private const string ServerVersion = "524642203030332e3030380a"; // "RFB 003.008\n"

    private static string Take(RfbNoneSecurityServerHandshake h)
    {
        var w = new ArrayBufferWriter<byte>();
        h.TakeOutput(w);
        return Convert.ToHexStringLower(w.WrittenSpan);
    }

    private static byte[] Version(string v) => Encoding.ASCII.GetBytes($"RFB {v}\n");

    public static TheoryData<string, string, string, string, int> Exchanges() => new()
    {
        // client version, client's bytes after it, expected server bytes after its version, negotiated, chunk
        { "003.008", "01 01", "01 01 00000000", "3.8", int.MaxValue },
        { "003.008", "01 00", "01 01 00000000", "3.8", 1 },
        { "003.007", "01 01", "01 01", "3.7", int.MaxValue },
        { "003.007", "01 01", "01 01", "3.7", 1 },
        { "003.003", "01", "00000001", "3.3", int.MaxValue },
        { "003.003", "00", "00000001", "3.3", 1 },
        { "003.005", "01", "00000001", "3.3", 5 },      // unpublished 3.4-3.6 read as 3.3 (7.1.1)
        { "003.889", "01 01", "01 01 00000000", "3.8", 2 }, // Apple's 3.889 and anything above 3.8 read as 3.8
        { "004.001", "01 01", "01 01 00000000", "3.8", 3 },
    };

    [Theory]
    [MemberData(nameof(Exchanges))]
    public void PlaysTheHandshakeForEachVersion(string clientVersion, string clientRest, string serverRest, string negotiated, int chunk)
    {
        var h = new RfbNoneSecurityServerHandshake();
        Assert.Equal(ServerVersion, Take(h));
        Assert.Equal(RfbServerHandshakePhase.ProtocolVersion, h.Phase);

        var input = (byte[])[.. Version(clientVersion), .. HexVectors.Hex(clientRest)];
        var server = new StringBuilder();
        for (var i = 0; i < input.Length; i += chunk)
        {
            var part = input.AsSpan(i, Math.Min(chunk, input.Length - i));
            Assert.Equal(part.Length, h.Receive(part));
            server.Append(Take(h));
        }
        Assert.Equal(Convert.ToHexStringLower(HexVectors.Hex(serverRest)), server.ToString());
        Assert.True(h.IsComplete);
        Assert.Equal(RfbServerHandshakePhase.Complete, h.Phase);
        Assert.Equal(negotiated, h.Version!.Value.ToString());
        Assert.Equal(clientVersion, $"{h.ClientVersion!.Value.Major:D3}.{h.ClientVersion!.Value.Minor:D3}");
        Assert.Equal(input[^1] != 0, h.Shared);
        Assert.False(h.HasOutput);
    }

    [Fact]
    public void EachPhaseAnswersOnlyWhenItsUnitIsComplete()
    {
        var h = new RfbNoneSecurityServerHandshake();
        Take(h);
        Assert.Equal(11, h.Receive(Version("003.008").AsSpan(0, 11)));
        Assert.Equal("", Take(h));
        Assert.Equal(1, h.Receive("\n"u8));
        Assert.Equal("0101", Take(h));
        Assert.Equal(RfbServerHandshakePhase.SecuritySelection, h.Phase);
        Assert.Equal(1, h.Receive([0x01]));
        Assert.Equal("00000000", Take(h));
        Assert.Equal(RfbServerHandshakePhase.ClientInit, h.Phase);
        Assert.Null(h.Shared);
    }

    [Fact]
    public void BytesAfterClientInitAreLeftToTheCaller()
    {
        var h = new RfbNoneSecurityServerHandshake();
        var setPixelFormat = HexVectors.Load("set_pixel_format_rgb888");
        var input = (byte[])[.. Version("003.008"), 0x01, 0x01, .. setPixelFormat];
        var used = h.Receive(input);
        Assert.Equal(14, used);
        Assert.True(h.IsComplete);
        Assert.Equal(setPixelFormat, input[used..]);
        Assert.Equal(0, h.Receive(setPixelFormat)); // once complete, nothing more is taken
    }

    [Theory]
    [InlineData("RFB 003.008\n", "02", 12)]          // VNC Authentication was not offered
    [InlineData("RFB 003.008\n", "13", 12)]          // nor VeNCrypt
    [InlineData("RFB 003.007\n", "00", 12)]
    [InlineData("RFB 002.009\n", "", 0)]             // older than 3.3
    [InlineData("RFB 003.002\n", "", 0)]
    [InlineData("RFX 003.008\n", "", 0)]             // not a ProtocolVersion
    [InlineData("RFB 003.0a8\n", "", 8)]
    [InlineData("GET / HTTP/1.1\r\n", "", 0)]
    public void MalformedClientBytesAreDecodeExceptionsWithTheirOffset(string version, string rest, long offset)
    {
        var h = new RfbNoneSecurityServerHandshake();
        var input = (byte[])[.. Encoding.ASCII.GetBytes(version), .. HexVectors.Hex(rest)];
        var e = Assert.Throws<DecodeException>(() => h.Receive(input));
        Assert.Equal(offset, e.Offset);
        Assert.Contains("client handshake", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FuzzRandomAndMutatedClientBytesYieldAValueOrADecodeException()
    {
        var random = new Random(4242);
        byte[] valid = [.. Version("003.008"), 0x01, 0x01, 0x02, 0x00, 0x00, 0x00];
        byte[] valid33 = [.. Version("003.003"), 0x01, 0x03];
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            switch (i % 3)
            {
                case 0:
                    input = new byte[random.Next(0, 40)];
                    random.NextBytes(input);
                    break;
                default:
                    input = (byte[])(i % 3 == 1 ? valid : valid33).Clone();
                    for (var m = random.Next(1, 4); m > 0; m--)
                    {
                        input[random.Next(input.Length)] = (byte)random.Next(256);
                    }
                    break;
            }
            var h = new RfbNoneSecurityServerHandshake();
            try
            {
                var at = 0;
                while (at < input.Length)
                {
                    var n = Math.Min(random.Next(1, 8), input.Length - at);
                    var used = h.Receive(input.AsSpan(at, n));
                    Assert.InRange(used, 0, n);
                    at += n;
                    if (h.IsComplete) break;
                }
                Take(h);
            }
            catch (DecodeException)
            {
                // malformed: the one allowed failure
            }
        }
    }
}
