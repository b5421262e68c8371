namespace Oriel.Testing;

/// <summary>
/// Seeded byte mutations for the random fuzz tests of every decoder. The caller owns the
/// <see cref="Random"/> (a fixed seed per test, so every failure replays), and each method draws from
/// it in a fixed order, so a test's cases stay the same as long as its seed does.
/// </summary>
public static class Mutator
{
    /// <summary>
    /// Overwrites 1 to 5 bytes in place, each with 0xFF, 0x00, itself with one bit flipped, or a random
    /// byte (the extremes first: they are what breaks length and count fields).
    /// </summary>
    public static void Overwrite(byte[] bytes, Random random)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(random);
        var count = random.Next(1, 6);
        for (var k = 0; k < count; k++)
        {
            var at = random.Next(bytes.Length);
            bytes[at] = random.Next(4) switch
            {
                0 => 0xFF,
                1 => 0x00,
                2 => (byte)(bytes[at] ^ (1 << random.Next(8))),
                _ => (byte)random.Next(256),
            };
        }
    }

    /// <summary>
    /// Applies 1 to 3 of: flip one bit, set one byte at random, cut the tail off at a random length,
    /// append a random byte and 0xFF. Returns the result (a new array when the length changed).
    /// </summary>
    public static byte[] Reshape(byte[] bytes, Random random)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(random);
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && bytes.Length > 0; m++)
        {
            switch (random.Next(4))
            {
                case 0: FlipBit(bytes, random); break;
                case 1: SetRandomByte(bytes, random); break;
                case 2: bytes = Truncate(bytes, random); break;
                default: bytes = [.. bytes, (byte)random.Next(256), 0xFF]; break;
            }
        }
        return bytes;
    }

    /// <summary>Drops 0 to 2 bytes from the end, then sets 1 to 4 bytes (while any are left) to random values.</summary>
    public static byte[] TrimAndScramble(byte[] bytes, Random random)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(random);
        var result = bytes[..Math.Max(0, bytes.Length - random.Next(3))];
        for (var k = random.Next(4); k >= 0 && result.Length > 0; k--)
        {
            SetRandomByte(result, random);
        }
        return result;
    }

    /// <summary>Flips one random bit of one random byte.</summary>
    public static void FlipBit(byte[] bytes, Random random)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(random);
        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
    }

    /// <summary>Sets one random byte to a random value.</summary>
    public static void SetRandomByte(byte[] bytes, Random random)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(random);
        bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
    }

    /// <summary>The first 0 to Length - 1 bytes.</summary>
    public static byte[] Truncate(byte[] bytes, Random random)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(random);
        return bytes[..random.Next(bytes.Length)];
    }
}
