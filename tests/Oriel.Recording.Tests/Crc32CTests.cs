using System.Numerics;
using System.Text;

namespace Oriel.Recording.Tests;

public class Crc32CTests
{
    [Fact]
    public void CheckValue() => Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    /// <summary>RFC 3720 appendix B.4, the iSCSI CRC examples.</summary>
    [Fact]
    public void Rfc3720Examples()
    {
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void MatchesTheHardwareInstructionOnRandomData()
    {
        var random = new Random(42);
        for (var n = 0; n < 300; n++)
        {
            var data = new byte[random.Next(0, 200)];
            random.NextBytes(data);
            var reference = uint.MaxValue;
            foreach (var b in data) reference = BitOperations.Crc32C(reference, b);
            Assert.Equal(~reference, Crc32C.Compute(data));
        }
    }

    [Fact]
    public void AppendContinues()
    {
        var data = new byte[100];
        new Random(7).NextBytes(data);
        for (var split = 0; split <= data.Length; split++)
        {
            Assert.Equal(Crc32C.Compute(data), Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }
}
