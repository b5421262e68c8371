using System.Buffers;
using Oriel.Tdp;

namespace Oriel.Recording.Tests;

/// <summary>
/// Builds tdp recordings in memory from synthetic TDP messages (JPEG frames of random bytes: the recording format
/// frames messages, it never decodes images), the way the gateway's recorder writes them: whole messages per
/// data record, and a keyframe (desktop size, tiles covering the screen, cursor) after every few seconds of activity.
/// </summary>
internal static class TdpRecordings
{
    public static readonly StreamRecordingHeader Header = new()
    {
        Kind = StreamRecordingHeader.TdpKind,
        SessionId = "9a2e",
        TargetId = "lab-desktop",
        User = "auditor@example.org",
        StartUnixMilliseconds = 1_750_000_000_123,
        Metadata = """{"protocol":"vnc"}""",
    };

    /// <summary>A written recording and what went into it.</summary>
    /// <param name="File">The file's bytes.</param>
    /// <param name="KeyframeTimes">The time of each keyframe, in order.</param>
    /// <param name="ServerData">Each ServerData record's time and length.</param>
    /// <param name="MaxKeyframeBytes">The largest keyframe written (its Sync and parts, framing included).</param>
    /// <param name="MaxBytesBetweenKeyframes">The most bytes written between the end of one keyframe and the next Sync.</param>
    public sealed record Written(byte[] File, List<long> KeyframeTimes, List<(long Time, int Length)> ServerData, long MaxKeyframeBytes, long MaxBytesBetweenKeyframes);

    public static byte[] Encode(TdpMessage m) => TdpCodec.Encode(m);

    public static byte[] Jpeg(Random random, uint left, uint top, int length)
    {
        var data = new byte[length];
        random.NextBytes(data);
        return Encode(new JpegFrameMessage(left, top, left + 64, top + 64, data));
    }

    /// <summary>The messages of a keyframe of a <paramref name="tiles"/>-tile screen.</summary>
    public static List<ReadOnlyMemory<byte>> Keyframe(Random random, int tiles, int tileLength)
    {
        var messages = new List<ReadOnlyMemory<byte>> { Encode(new DesktopSizeMessage((uint)(64 * tiles), 64)) };
        for (var i = 0; i < tiles; i++) messages.Add(Jpeg(random, (uint)(64 * i), 0, tileLength));
        messages.Add(Encode(new CursorShapeMessage(1, 1, 2, 2, new byte[16])));
        return messages;
    }

    /// <summary>
    /// A session of <paramref name="durationUs"/>: active stretches (a screen update every 100 ms, input now and
    /// then) and idle ones (nothing for up to a minute), a keyframe before the first update after
    /// <paramref name="keyframeActivityUs"/> of activity since the previous one.
    /// </summary>
    public static Written Session(int seed, long durationUs, long keyframeActivityUs = 5_000_000, StreamRecordingWriterOptions? options = null, bool finish = true)
    {
        var random = new Random(seed);
        var output = new ArrayBufferWriter<byte>();
        var w = new StreamRecordingWriter(output, Header, options);
        var keyframes = new List<long>();
        var serverData = new List<(long, int)>();
        long maxKeyframe = 0, maxBetween = 0, sinceKeyframe = 0;
        long activity = keyframeActivityUs; // the first update is preceded by a keyframe
        uint frame = 0;
        w.AppendSessionStart(0);
        long t = 0;
        while (t < durationUs)
        {
            var idle = random.Next(4) == 0;
            var stretch = random.NextInt64(1_000_000, idle ? 60_000_000 : 30_000_000);
            if (idle)
            {
                t += stretch;
                continue;
            }
            for (var end = Math.Min(durationUs, t + stretch); t < end; t += 100_000)
            {
                if (activity >= keyframeActivityUs)
                {
                    maxBetween = Math.Max(maxBetween, sinceKeyframe);
                    var before = w.Position;
                    w.AppendKeyframe(t, Keyframe(random, 4, random.Next(200, 600)));
                    maxKeyframe = Math.Max(maxKeyframe, w.Position - before);
                    keyframes.Add(t);
                    activity = 0;
                    sinceKeyframe = 0;
                }
                var at = w.Position;
                byte[] update = [.. Jpeg(random, (uint)random.Next(0, 4) * 64, 0, random.Next(50, 300)), .. Encode(new FrameMarkerMessage(++frame))];
                w.AppendData(StreamDirection.ServerToClient, t, update);
                serverData.Add((t, update.Length));
                if (random.Next(3) == 0)
                {
                    w.AppendData(StreamDirection.ClientToServer, t + 50_000, Encode(new MouseMoveMessage((uint)random.Next(256), 10)));
                }
                if (random.Next(200) == 0) w.AppendNote(t + 50_000, "clipboard: 12 bytes from the browser");
                sinceKeyframe += w.Position - at;
                activity += 100_000;
            }
        }
        maxBetween = Math.Max(maxBetween, sinceKeyframe);
        if (finish)
        {
            w.AppendSessionEnd(t, SessionEndReason.ClientClosed);
            w.Finish(t);
        }
        return new Written(output.WrittenSpan.ToArray(), keyframes, serverData, maxKeyframe, maxBetween);
    }
}
