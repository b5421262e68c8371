using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Tdp.Tests;

/// <summary>Random and mutated input must yield a value or <see cref="DecodeException"/>, never another exception.</summary>
public sealed class TdpFuzzTests
{
    private static readonly byte[] KnownTypes = [.. Enum.GetValues<TdpMessageType>().Select(t => (byte)t)];

    [Fact]
    public void Random_and_mutated_input_yields_a_message_or_DecodeException()
    {
        var random = new Random(20251121);
        var seeds = TdpVectors.Valid.Select(TdpVectors.Bytes).ToArray();
        var decoded = 0;
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(48)];
                random.NextBytes(input);
                if (input.Length > 0 && i % 4 == 0)
                {
                    input[0] = KnownTypes[random.Next(KnownTypes.Length)];
                }
            }
            else
            {
                input = Mutator.TrimAndScramble(seeds[random.Next(seeds.Length)], random);
            }
            if (Survives(input))
            {
                decoded++;
            }
        }
        Assert.InRange(decoded, 1000, 20_000); // the mutations reach past the first checks
    }

    private static bool Survives(byte[] input)
    {
        TdpMessage m;
        try
        {
            m = TdpCodec.Decode(input);
        }
        catch (DecodeException)
        {
            try
            {
                TdpCodec.TryGetMessageLength(input, out _);
            }
            catch (DecodeException)
            {
            }
            return false;
        }

        // What decodes re-encodes to the same bytes and frames to the same length.
        Assert.Equal(input, TdpCodec.Encode(m));
        if (m.Type != TdpMessageType.PngFrame)
        {
            Assert.True(TdpCodec.TryGetMessageLength(input, out var length));
            Assert.Equal(input.Length, length);
        }
        return true;
    }
}
