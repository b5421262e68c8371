using Oriel.Tdp;

namespace Oriel.Tdp.Tests;

/// <summary>
/// Field-by-field equality for TDP messages. Records compare byte[] by reference, so this compares
/// every public property, byte arrays by content.
/// </summary>
internal static class MessageAssert
{
    public static void Equal(TdpMessage expected, TdpMessage actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        foreach (var p in expected.GetType().GetProperties())
        {
            var e = p.GetValue(expected);
            var a = p.GetValue(actual);
            if (e is byte[] eb && a is byte[] ab)
            {
                Assert.True(eb.AsSpan().SequenceEqual(ab), $"{p.Name}: expected {Convert.ToHexString(eb)}, got {Convert.ToHexString(ab)}");
            }
            else
            {
                Assert.True(Equals(e, a), $"{p.Name}: expected {e}, got {a}");
            }
        }
    }
}
