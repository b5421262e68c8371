using Oriel.Graphics;

namespace Oriel.Rfb.Encodings.Tests;

/// <summary>Plays the engine: offers a decoder a growing window of the payload, as a socket would.</summary>
internal static class Feeder
{
    /// <summary>Decodes one rectangle; returns the bytes consumed (asserts the decoder completes within the payload).</summary>
    public static int Run(IRectangleDecoder decoder, Rect rect, RectangleContext context, ReadOnlySpan<byte> payload, Func<int> chunk)
    {
        decoder.Begin(rect, context);
        var start = 0;
        var available = 0;
        while (true)
        {
            var used = decoder.Decode(payload[start..available], context, out var complete);
            Assert.InRange(used, 0, available - start);
            start += used;
            if (complete)
            {
                return start;
            }
            Assert.True(available < payload.Length, $"decoder wants more than the {payload.Length}-byte payload (consumed {start})");
            available = Math.Min(payload.Length, available + Math.Max(1, chunk()));
        }
    }

    /// <summary>Like <see cref="Run"/> for untrusted input: true when complete, false when it needs more than there is.</summary>
    public static bool TryRun(IRectangleDecoder decoder, Rect rect, RectangleContext context, ReadOnlySpan<byte> payload, Func<int> chunk)
    {
        decoder.Begin(rect, context);
        var start = 0;
        var available = 0;
        while (true)
        {
            var used = decoder.Decode(payload[start..available], context, out var complete);
            Assert.InRange(used, 0, available - start);
            start += used;
            if (complete)
            {
                return true;
            }
            if (available == payload.Length)
            {
                return false;
            }
            available = Math.Min(payload.Length, available + Math.Max(1, chunk()));
        }
    }

    public static Func<int> All => () => int.MaxValue / 2;

    public static Func<int> OneByte => () => 1;

    public static Func<int> Random(int seed)
    {
        var rng = new Random(seed);
        return () => rng.Next(1, 40);
    }
}
