using Oriel.Gateway.Hosting;
using Oriel.Graphics;
using Oriel.Graphics.Jpeg;
using Oriel.Graphics.TurboJpeg;

namespace Oriel.Gateway.Tests;

/// <summary>
/// How the host provides JPEG to the core: the gateway registers libjpeg-turbo (installed on the test
/// machine, Debian libturbojpeg0) and hands out one codec per session; without a library it hands out none.
/// </summary>
public sealed class JpegSupportTests
{
    [Fact]
    public async Task The_gateway_registers_libjpeg_turbo_and_gives_each_caller_its_own_working_codec()
    {
        Assert.True(TurboJpegLibrary.IsAvailable, TurboJpegLibrary.MissingLibraryMessage);
        await using var gw = await TestGateway.StartAsync();
        var support = gw.Get<JpegSupport>();
        Assert.True(support.IsAvailable);
        using var a = support.CreateCodec();
        using var b = support.CreateCodec();
        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.NotSame(a, b); // codecs are not thread-safe: one per session

        var fb = new Framebuffer(32, 16);
        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < 32; x++)
            {
                fb.At(x, y) = (uint)((x * 8) << 16 | (y * 16) << 8 | 0x40);
            }
        }
        using var output = new PooledBufferWriter();
        a.Encode(fb, fb.Bounds, 95, output);
        var decoded = new uint[32 * 16];
        b.Decode(output.WrittenSpan, 32, 16, decoded);
        for (var i = 0; i < decoded.Length; i++)
        {
            Assert.Equal(0u, decoded[i] >> 24);
            Assert.InRange(Math.Abs((int)((decoded[i] >> 16) & 0xFF) - (int)((fb.Pixels[i] >> 16) & 0xFF)), 0, 12);
        }
    }

    [Fact]
    public void Without_a_library_there_is_no_codec()
    {
        Assert.False(JpegSupport.None.IsAvailable);
        Assert.Null(JpegSupport.None.CreateCodec());
    }

    [Fact]
    public void A_support_over_any_library_wraps_a_new_instance_in_each_codec()
    {
        var made = 0;
        var support = new JpegSupport(() =>
        {
            made++;
            return new TurboJpegLibrary();
        });
        using (support.CreateCodec())
        using (support.CreateCodec())
        {
            Assert.Equal(2, made);
        }
    }
}
