using System.Text;
using Oriel.Graphics.Jpeg;
using Oriel.Graphics.TurboJpeg;
using Oriel.Wire;

namespace Oriel.Rfb.Tests;

/// <summary>
/// Random and mutated server streams must end in a value (the engine keeps waiting or keeps going)
/// or in DecodeException / RfbSecurityException, never in any other exception, and never in a
/// huge allocation. The clients get a real libjpeg-turbo codec, as the gateway gives them, so a Tight
/// JpegCompression rectangle reaches <see cref="JpegCodec"/>'s checks instead of being refused for want of one.
/// </summary>
public sealed class FuzzTests : IDisposable
{
    private readonly JpegCodec _jpeg = TurboJpegLibrary.CreateCodec();

    public void Dispose() => _jpeg.Dispose();

    /// <summary>Largest allocation one case may make: a framebuffer at the cap is 256 MiB, far above anything here.</summary>
    private const long AllocationBudget = 96L * 1024 * 1024;

    private static byte[] ValidNormalStream()
    {
        var raw = HexVectors.Load("framebuffer_update_raw");
        var copy = HexVectors.Load("framebuffer_update_copyrect");
        return
        [
            .. raw, .. copy,
            0, 0, 0, 1, .. HexVectors.Load("cursor_rect"),
            0, 0, 0, 1, .. HexVectors.Load("extended_desktop_size_rect"),
            .. HexVectors.Hex("00 00 0001  0000 0000 0008 0004 ffffff21"),
            .. HexVectors.Load("set_colour_map_entries"),
            .. HexVectors.Load("server_cut_text"),
            .. HexVectors.Load("server_cut_text_extended_provide"),
            .. HexVectors.Hex("03 000000 fffffff4 1f000003 000003e8 00000000"),
            .. HexVectors.Hex("00 00 ffff") , .. raw[4..], .. HexVectors.Hex("0000 0000 0000 0000 ffffff20"),
            .. HexVectors.Load("bell"),
        ];
    }

    private static byte[] ValidHandshake(int variant) => variant switch
    {
        0 => [.. Encoding.ASCII.GetBytes("RFB 003.008\n"), .. HexVectors.Hex("02 01 02 000102030405060708090a0b0c0d0e0f 00000000"), .. ScriptedServer.ServerInit(8, 4)],
        1 => [.. Encoding.ASCII.GetBytes("RFB 003.003\n"), .. HexVectors.Hex("00000002 000102030405060708090a0b0c0d0e0f 00000000"), .. ScriptedServer.ServerInit(8, 4)],
        _ => [.. Encoding.ASCII.GetBytes("RFB 003.008\n"), .. HexVectors.Hex("01 13 0002 00 02 00000106 00000103 01")],
    };

    private static void Run(RfbClient client, byte[] stream, Random random)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var i = 0;
            while (i < stream.Length && client.Phase != RfbPhase.Closed)
            {
                var n = Math.Min(stream.Length - i, random.Next(1, 64));
                client.Receive(stream.AsSpan(i, n));
                i += n;
                while (client.TryDequeueEvent(out _))
                {
                }
                if (client.Phase == RfbPhase.TlsHandshake) client.TlsEstablished();
            }
        }
        catch (DecodeException)
        {
        }
        catch (RfbSecurityException)
        {
        }
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationBudget, "allocation budget exceeded");
    }

    [Fact]
    public void RandomStreamsAfterHandshake()
    {
        var random = new Random(1234);
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var s = ScriptedServer.Connected(8, 4, new RfbClientOptions { Jpeg = _jpeg });
            var bytes = new byte[random.Next(1, 512)];
            random.NextBytes(bytes);
            Run(s.Client, bytes, random);
        }
    }

    [Fact]
    public void MutatedStreamsAfterHandshake()
    {
        var random = new Random(5678);
        var valid = ValidNormalStream();
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var s = ScriptedServer.Connected(8, 4, new RfbClientOptions { MaxClipboardBytes = 4096, Jpeg = _jpeg });
            var bytes = (byte[])valid.Clone();
            Mutator.Overwrite(bytes, random);
            Run(s.Client, bytes, random);
        }
    }

    [Fact]
    public void ValidStreamRunsClean()
    {
        var s = ScriptedServer.Connected(8, 4);
        s.Send(ValidNormalStream());
        Assert.Equal(RfbPhase.Normal, s.Client.Phase);
        Assert.Equal(6, s.Events.OfType<RfbUpdateCompleted>().Count());
    }

    [Fact]
    public void MutatedHandshakes()
    {
        var random = new Random(91011);
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var bytes = ValidHandshake(iteration % 3);
            Mutator.Overwrite(bytes, random);
            var client = new RfbClient(new RfbClientOptions { Password = "secret", Username = "u", Jpeg = _jpeg }, new RecordingSink());
            Run(client, bytes, random);
        }
    }

    [Fact]
    public void RandomHandshakes()
    {
        var random = new Random(1213);
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var bytes = new byte[random.Next(12, 128)];
            random.NextBytes(bytes);
            if (iteration % 2 == 0) Encoding.ASCII.GetBytes("RFB 003.008\n").CopyTo(bytes, 0);
            var client = new RfbClient(new RfbClientOptions { Password = "secret", Jpeg = _jpeg }, new RecordingSink());
            Run(client, bytes, random);
        }
    }
}
