using System.Text;

namespace Oriel.Graphics.Tests;

public class Crc32Tests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("IEND", 0xAE426082u)] // the CRC every PNG ends with
    [InlineData("123456789", 0xCBF43926u)] // the standard CRC-32 check value
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Known_values(string text, uint expected)
    {
        Assert.Equal(expected, Crc32.Compute(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Ihdr_of_a_one_pixel_rgb_png()
    {
        // "IHDR", width 1, height 1, depth 8, colour type 2, methods 0: CRC 0x907753DE as in every 1x1 RGB PNG.
        byte[] chunk = [0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0];
        Assert.Equal(0x907753DEu, Crc32.Compute(chunk));
    }

    [Fact]
    public void Matches_bitwise_definition_for_every_length_and_incremental_use()
    {
        var rng = new Random(7);
        var data = new byte[300];
        rng.NextBytes(data);
        for (var n = 0; n <= data.Length; n++)
        {
            Assert.Equal(PngTestDecoder.BitwiseCrc(data.AsSpan(0, n)), Crc32.Compute(data.AsSpan(0, n)));
        }
        var split = Crc32.Update(Crc32.Update(Crc32.Start, data.AsSpan(0, 101)), data.AsSpan(101));
        Assert.Equal(Crc32.Compute(data), Crc32.Finish(split));
    }
}
