using Oriel.Wire;

namespace Oriel.Recording.Tests;

/// <summary>Random and mutated files must give a result or a <see cref="DecodeException"/>, nothing else, within a small allocation budget.</summary>
public class FuzzTests
{
    private const long AllocationBudget = 16L * 1024 * 1024;

    private static void Run(byte[] bytes, Random random)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var mode in new[] { StreamRecordingReadMode.Strict, StreamRecordingReadMode.Tolerant })
        {
            try
            {
                var r = StreamRecordingReader.ReadAll(bytes, mode);
                Assert.True(r.ValidLength <= bytes.Length);
            }
            catch (DecodeException) when (mode == StreamRecordingReadMode.Strict)
            {
            }
        }

        // Incremental, at random chunk sizes.
        try
        {
            var reader = new StreamRecordingReader();
            var available = 0;
            var at = 0;
            var header = false;
            while (available < bytes.Length)
            {
                available = Math.Min(bytes.Length, available + random.Next(1, 64));
                var window = bytes.AsMemory(at, available - at);
                if (!header)
                {
                    if (!reader.TryReadHeader(window.Span, out var h)) continue;
                    header = true;
                    at += h;
                    window = window[h..];
                }
                while (reader.TryReadRecord(window, out _, out var n))
                {
                    at += n;
                    window = window[n..];
                }
            }
        }
        catch (DecodeException)
        {
        }
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationBudget, "allocation budget exceeded");
    }

    [Fact]
    public void RandomBytes()
    {
        var random = new Random(100);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            Run(bytes, random);
        }
    }

    [Fact]
    public void RandomBytesAfterAValidHeader()
    {
        var random = new Random(101);
        var header = new byte[Sessions.Header.Size];
        Sessions.Header.Encode(header);
        for (var i = 0; i < 2000; i++)
        {
            var tail = new byte[random.Next(0, 400)];
            random.NextBytes(tail);
            Run([.. header, .. tail], random);
        }
    }

    [Fact]
    public void MutatedRecordings()
    {
        var random = new Random(102);
        var valid = Sessions.Random(1, steps: 30).File;
        var small = HexVectors.Load("small.orec");
        for (var i = 0; i < 1500; i++)
        {
            var bytes = (byte[])(i % 2 == 0 ? valid : small).Clone();
            Mutator.Overwrite(bytes, random);
            Run(bytes, random);
        }
    }

    /// <summary>Mutations that keep checksums valid: rewrite a record's fields and fix its CRC, so the decoders behind the checksum get exercised.</summary>
    [Fact]
    public void MutatedPayloadsWithFixedChecksums()
    {
        var random = new Random(103);
        var small = HexVectors.Load("small.orec");
        var result = StreamRecordingReader.ReadAll(small);
        var offsets = result.Records.Select(r => (int)r.FileOffset).Append(small.Length).ToArray();
        for (var i = 0; i < 3000; i++)
        {
            var bytes = (byte[])small.Clone();
            var k = random.Next(offsets.Length - 1);
            var start = offsets[k];
            var end = offsets[k + 1];
            var frame = bytes.AsSpan(start, end - start);
            var changes = random.Next(1, 4);
            for (var c = 0; c < changes; c++)
            {
                var at = random.Next(1, frame.Length - 4);
                frame[at] = random.Next(3) == 0 ? (byte)0xFF : (byte)random.Next(256);
            }
            var crc = Crc32C.Compute(frame[..^4]);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame[^4..], crc);
            Run(bytes, random);
        }
    }
}
