using Oriel.Graphics;
using Oriel.Graphics.TurboJpeg;
using Oriel.Wire;

namespace Oriel.Rfb.Encodings.Tests;

public class VectorTests
{
    public static TheoryData<string> Vectors()
    {
        var data = new TheoryData<string>();
        foreach (var name in EncodingVector.Names()) data.Add(name);
        return data;
    }

    private static (Framebuffer Fb, RecordingSink Sink) Decode(EncodingVector v, Func<int> chunk)
    {
        var fb = v.NewFramebuffer();
        var sink = new RecordingSink();
        var context = new RectangleContext(fb, TestFormats.Converter(v.Format), sink);
        using var jpeg = TurboJpegLibrary.CreateCodec(); // the tight-jpeg vectors decode with the real libjpeg-turbo
        var set = new RectangleDecoderSet(jpeg);
        Assert.True(set.TryGet(v.Encoding, out var decoder));
        var payload = v.Payload();
        var used = Feeder.Run(decoder, v.Rect, context, payload, chunk);
        Assert.Equal(payload.Length, used);
        return (fb, sink);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Vector_decodes_whole_one_byte_at_a_time_and_in_random_chunks(string name)
    {
        var v = EncodingVector.Load(name);
        if (v.Error is not null)
        {
            foreach (var chunk in new[] { Feeder.All, Feeder.OneByte, Feeder.Random(7) })
            {
                var e = Assert.Throws<DecodeException>(() => Decode(v, chunk));
                Assert.Contains(v.Error, e.Message, StringComparison.OrdinalIgnoreCase);
            }
            return;
        }

        var (fb, sink) = Decode(v, Feeder.All);

        // The rectangle holds the expected pixels; nothing outside it changed.
        Assert.Equal(v.Rect.Area, v.Expected.Count);
        var model = v.NewFramebuffer();
        model.Write(v.Rect, v.Expected.ToArray());
        AssertSame(model, fb);

        // What changed was reported.
        if (v.Copied is { } from)
        {
            Assert.Empty(sink.Damage);
            Assert.Equal([(new Rect(from.X, from.Y, v.Rect.Width, v.Rect.Height), v.Rect.X, v.Rect.Y)], sink.Copies);
        }
        else
        {
            Assert.Empty(sink.Copies);
            Assert.All(sink.Damage, d => Assert.True(v.Rect.Contains(d), $"damage {d} outside {v.Rect}"));
            Assert.Equal(v.Rect, sink.DamageUnion());
        }

        // Incremental feeding gives the same result.
        foreach (var chunk in new[] { Feeder.OneByte, Feeder.Random(1), Feeder.Random(2) })
        {
            var (fb2, sink2) = Decode(v, chunk);
            AssertSame(fb, fb2);
            if (v.Copied is null)
            {
                Assert.Equal(v.Rect, sink2.DamageUnion());
            }
            else
            {
                Assert.Equal(sink.Copies, sink2.Copies);
            }
        }
    }

    [Fact]
    public void Every_decoding_encoding_has_vectors()
    {
        var encodings = EncodingVector.Names().Select(n => EncodingVector.Load(n).Encoding).ToHashSet();
        foreach (var e in RectangleDecoderSet.DefaultPreference)
        {
            Assert.Contains(e, encodings);
        }
    }

    internal static void AssertSame(Framebuffer expected, Framebuffer actual)
    {
        Assert.Equal(expected.Width, actual.Width);
        for (var y = 0; y < expected.Height; y++)
        {
            for (var x = 0; x < expected.Width; x++)
            {
                var e = expected.At(x, y);
                var a = actual.At(x, y);
                if (e != a)
                {
                    Assert.Fail($"pixel ({x},{y}) is {a:X6}, expected {e:X6}");
                }
            }
        }
    }
}
