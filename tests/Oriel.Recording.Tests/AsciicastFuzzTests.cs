using Oriel.Wire;

namespace Oriel.Recording.Tests;

/// <summary>Mutated asciicast files must read or throw <see cref="DecodeException"/>, nothing else.</summary>
public class AsciicastFuzzTests
{
    [Fact]
    public void MutatedVectorReadsOrThrowsDecodeException()
    {
        var original = AsciicastVectorTests.LoadSmall();
        var random = new Random(0xA5C11);
        var decoded = 0;
        for (var i = 0; i < 5000; i++)
        {
            var bytes = original.ToArray();
            if (i % 2 == 0) Mutator.Overwrite(bytes, random);
            else bytes = Mutator.Reshape(bytes, random);
            try
            {
                var result = AsciicastReader.ReadAll(bytes, maxLineLength: 256);
                Assert.InRange(result.ValidLength, 0, bytes.Length);
                decoded++;
            }
            catch (DecodeException e)
            {
                Assert.StartsWith("line ", e.Why);
            }
        }
        Assert.InRange(decoded, 1, 4999); // both paths were taken
    }
}
