using Oriel.Graphics;
using Oriel.Graphics.Jpeg;
using Oriel.Graphics.TurboJpeg;
using Oriel.Wire;

namespace Oriel.Rfb.Encodings.Tests;

/// <summary>
/// Seeded random and mutated input: every decoder either completes, asks for more, or throws
/// DecodeException — nothing else, and nothing large is allocated. The decoder sets get a real
/// libjpeg-turbo codec, so Tight JpegCompression rectangles reach <see cref="JpegCodec"/>'s checks and the
/// library instead of being refused for want of a codec.
/// </summary>
public sealed class FuzzTests : IDisposable
{
    private readonly JpegCodec _jpeg = TurboJpegLibrary.CreateCodec();

    public void Dispose() => _jpeg.Dispose();

    private const long AllocationBudget = 8 * 1024 * 1024;

    public static TheoryData<int, string> Cases()
    {
        var d = new TheoryData<int, string>();
        foreach (var e in RectangleDecoderSet.DefaultPreference)
            foreach (var f in new[] { "rgb888", "rgb888be", "rgb565", "colourmap" })
                d.Add(e, f);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_input_completes_needs_more_or_throws_DecodeException(int encoding, string format)
    {
        var rng = new Random(encoding * 31 + format.Length);
        var outcomes = new int[3];
        for (var i = 0; i < 300; i++)
        {
            var fb = new Framebuffer(64, 48);
            var set = new RectangleDecoderSet(_jpeg);
            var context = new RectangleContext(fb, TestFormats.Converter(format), new RecordingSink());
            var payload = new byte[rng.Next(0, 600)];
            rng.NextBytes(payload);
            // Make the common length prefixes plausible some of the time so decoders get deeper.
            if (payload.Length > 8 && rng.Next(2) == 0)
            {
                if (encoding == RfbEncodingType.Zrle) { payload[0] = 0; payload[1] = 0; payload[2] = 0; payload[3] = (byte)rng.Next(0, 40); payload[4] = 0x78; payload[5] = 0x9C; }
                if (encoding == RfbEncodingType.Rre) { payload[0] = 0; payload[1] = 0; payload[2] = 0; payload[3] = (byte)rng.Next(0, 6); }
                if (encoding == RfbEncodingType.Tight) { payload[0] &= 0x7F; }
            }
            outcomes[Run(set, encoding, context, RandomRect(rng), payload, rng.Next())]++;
        }
        Assert.Equal(300, outcomes.Sum());
    }

    [Theory]
    [MemberData(nameof(VectorTests.Vectors), MemberType = typeof(VectorTests))]
    public void Mutated_vectors_complete_need_more_or_throw_DecodeException(string name)
    {
        var v = EncodingVector.Load(name);
        var original = v.Payload();
        var rng = new Random(name.Length * 7919);
        for (var i = 0; i < 200; i++)
        {
            var payload = Mutator.Reshape((byte[])original.Clone(), rng);
            var fb = v.NewFramebuffer();
            var context = new RectangleContext(fb, TestFormats.Converter(v.Format), new RecordingSink());
            Run(new RectangleDecoderSet(_jpeg), v.Encoding, context, v.Rect, payload, rng.Next());
        }
    }

    [Fact]
    public void A_connection_of_random_rectangles_on_one_decoder_set()
    {
        // Several rectangles in sequence on the same set (zlib streams persist) until one is refused.
        var rng = new Random(99);
        for (var conn = 0; conn < 50; conn++)
        {
            var set = new RectangleDecoderSet(_jpeg);
            var context = new RectangleContext(new Framebuffer(64, 48), new PixelConverter(PixelFormat.Rgb888), new RecordingSink());
            for (var r = 0; r < 20; r++)
            {
                var encoding = RectangleDecoderSet.DefaultPreference[rng.Next(RectangleDecoderSet.DefaultPreference.Count)];
                var payload = new byte[rng.Next(0, 200)];
                rng.NextBytes(payload);
                if (Run(set, encoding, context, RandomRect(rng), payload, rng.Next()) == 2) break;
            }
        }
    }

    private static Rect RandomRect(Random rng)
    {
        var w = rng.Next(0, 40);
        var h = rng.Next(0, 30);
        return new Rect(rng.Next(0, 64 - w + 1), rng.Next(0, 48 - h + 1), w, h);
    }

    /// <summary>0 = completed, 1 = needs more, 2 = DecodeException.</summary>
    private static int Run(RectangleDecoderSet set, int encoding, RectangleContext context, Rect rect, byte[] payload, int seed)
    {
        Assert.True(set.TryGet(encoding, out var decoder));
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            return Feeder.TryRun(decoder, rect, context, payload, Feeder.Random(seed)) ? 0 : 1;
        }
        catch (DecodeException)
        {
            return 2;
        }
        finally
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < AllocationBudget, $"{allocated} bytes allocated decoding {payload.Length} bytes");
        }
    }
}
