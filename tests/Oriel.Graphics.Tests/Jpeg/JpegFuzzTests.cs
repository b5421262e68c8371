using Oriel.Graphics.Jpeg;
using Oriel.Graphics.TurboJpeg;
using Oriel.Wire;

namespace Oriel.Graphics.Tests.Jpeg;

/// <summary>Random and mutated JPEGs must decode or throw <see cref="DecodeException"/>, nothing else.</summary>
public sealed class JpegFuzzTests
{
    [Fact]
    public void Random_bytes_behind_a_jpeg_signature_never_escape_as_anything_but_decode_exception()
    {
        using var codec = TurboJpegLibrary.CreateCodec();
        var rng = new Random(1234);
        var destination = new uint[16 * 16];
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[rng.Next(0, 300)];
            rng.NextBytes(bytes);
            if (bytes.Length > 2 && i % 2 == 0)
            {
                bytes[0] = 0xFF;
                bytes[1] = 0xD8;
            }
            Attempt(codec, bytes, 16, 16, destination);
        }
    }

    [Fact]
    public void Mutated_jpegs_decode_or_throw_decode_exception()
    {
        using var codec = TurboJpegLibrary.CreateCodec();
        var rng = new Random(4321);
        var seeds = new[]
        {
            JpegImages.Encode(codec, JpegImages.Gradient(24, 16), 75),
            JpegImages.Encode(codec, TestImages.Noise(17, 9, 3), 50, JpegSubsampling.Chroma444),
            JpegImages.Encode(codec, JpegImages.Gradient(16, 16), 90, JpegSubsampling.Gray),
        };
        var sizes = new[] { (24, 16), (17, 9), (16, 16) };
        var decoded = 0;
        for (var i = 0; i < 3000; i++)
        {
            var k = i % seeds.Length;
            var bytes = (byte[])seeds[k].Clone();
            switch (rng.Next(4))
            {
                case 0:
                    Mutator.FlipBit(bytes, rng);
                    break;
                case 1:
                    for (var j = rng.Next(1, 8); j > 0; j--) Mutator.SetRandomByte(bytes, rng);
                    break;
                case 2:
                    bytes = Mutator.Truncate(bytes, rng);
                    break;
                default:
                    // Corrupt a header byte (the first 200 are markers and tables).
                    bytes[rng.Next(Math.Min(200, bytes.Length))] = (byte)rng.Next(256);
                    break;
            }
            var (w, h) = sizes[k];
            if (Attempt(codec, bytes, w, h, new uint[w * h])) decoded++;
        }
        Assert.InRange(decoded, 1, 2999); // some mutations are harmless, most are not
    }

    private static bool Attempt(JpegCodec codec, byte[] bytes, int width, int height, uint[] destination)
    {
        try
        {
            codec.Decode(bytes, width, height, destination);
            Assert.All(destination, p => Assert.Equal(0u, p >> 24));
            return true;
        }
        catch (DecodeException)
        {
            return false;
        }
    }
}
