using System.Buffers.Binary;
using Oriel.Testing.Fuzzing;

namespace Oriel.Recording.Tests;

/// <summary>
/// The tdp-recording fuzz target (tests/Oriel.Testing/Fuzzing) on mutated tdp recordings, seeded: every input
/// must end in a result or a DecodeException, and the target's own rules (timeline, histogram, seek ranges,
/// chunked scan) must hold. Mutations that fix the checksums reach the keyframe and TDP checks behind them.
/// </summary>
public class TdpRecordingFuzzTests
{
    private static readonly FuzzTarget s_target = FuzzTargets.Get("tdp-recording");

    private static void Run(byte[] file, byte chunk)
    {
        var failure = RegressionCorpus.ReplayOne(s_target, [chunk, .. file]);
        Assert.True(failure is null, failure);
    }

    [Fact]
    public void The_vectors_and_generated_recordings_pass()
    {
        Run(HexVectors.Load("tdp-small.orec"), 0);
        Run(HexVectors.Load("tdp-small.orec"), 3);
        Run(HexVectors.Load("small.orec"), 0);
        Run(TdpRecordings.Session(seed: 11, 90_000_000).File, 0);
        Run(TdpRecordings.Session(seed: 12, 90_000_000, finish: false).File, 200);
    }

    [Fact]
    public void Mutated_recordings()
    {
        var random = new Random(700);
        byte[][] bases = [HexVectors.Load("tdp-small.orec"), TdpRecordings.Session(seed: 13, 20_000_000, options: new StreamRecordingWriterOptions { MaxKeyframePartLength = 700 }).File];
        for (var i = 0; i < 600; i++)
        {
            var bytes = (byte[])bases[i % 2].Clone();
            Mutator.Overwrite(bytes, random);
            Run(bytes, (byte)random.Next(4));
        }
    }

    [Fact]
    public void Mutated_payloads_with_fixed_checksums()
    {
        var random = new Random(701);
        var file = HexVectors.Load("tdp-small.orec");
        var records = StreamRecordingReader.ReadAll(file).Records;
        var offsets = records.Select(r => (int)r.FileOffset).Append(file.Length).ToArray();
        for (var i = 0; i < 1500; i++)
        {
            var bytes = (byte[])file.Clone();
            var k = random.Next(offsets.Length - 1);
            var frame = bytes.AsSpan(offsets[k], offsets[k + 1] - offsets[k]);
            for (var c = random.Next(1, 4); c > 0; c--)
            {
                var at = random.Next(1, frame.Length - 4);
                frame[at] = random.Next(3) == 0 ? (byte)0xFF : (byte)random.Next(256);
            }
            BinaryPrimitives.WriteUInt32BigEndian(frame[^4..], Crc32C.Compute(frame[..^4]));
            Run(bytes, (byte)random.Next(3));
        }
    }
}
