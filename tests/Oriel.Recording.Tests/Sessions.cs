namespace Oriel.Recording.Tests;

/// <summary>Builds recordings of random sessions and remembers what went in, to compare with what comes out.</summary>
internal static class Sessions
{
    public sealed record Written(byte[] File, List<(StreamDirection Direction, long Time, byte[] Data)> Data, int Markers);

    public static readonly StreamRecordingHeader Header = new()
    {
        Kind = "rfb-passthrough",
        SessionId = "7f1c",
        TargetId = "lab-desktop",
        User = "auditor@example.org",
        StartUnixMilliseconds = 1_750_000_000_123,
        Metadata = """{"client":"noVNC","remote":"127.0.0.1:5901"}""",
    };

    public static Written Random(int seed, StreamRecordingWriterOptions? options = null, int steps = 60, bool finish = true)
    {
        var random = new Random(seed);
        var output = new DirtyBufferWriter(slack: 7, minimum: 16);
        var w = new StreamRecordingWriter(output, Header, options ?? new StreamRecordingWriterOptions { SyncIntervalMicroseconds = 50_000, SyncIntervalBytes = 2000, MaxDataRecordLength = 700 });
        var data = new List<(StreamDirection, long, byte[])>();
        var markers = 0;
        long t = 0;
        w.AppendSessionStart(t);
        markers++;
        for (var i = 0; i < steps; i++)
        {
            t += random.Next(0, 3) == 0 ? 0 : random.Next(1, 40_000);
            switch (random.Next(10))
            {
                case 0:
                    w.AppendNote(t, "note " + i);
                    markers++;
                    break;
                case 1:
                    w.AppendResize(t, random.Next(1, 4000), random.Next(1, 4000));
                    markers++;
                    break;
                default:
                {
                    var bytes = new byte[random.Next(1, random.Next(2) == 0 ? 40 : 2500)];
                    random.NextBytes(bytes);
                    var direction = random.Next(3) == 0 ? StreamDirection.ClientToServer : StreamDirection.ServerToClient;
                    w.AppendData(direction, t, bytes);
                    data.Add((direction, t, bytes));
                    break;
                }
            }
        }
        if (finish)
        {
            w.AppendSessionEnd(t, SessionEndReason.ServerClosed, "server went away");
            markers++;
            w.Finish(t + 1);
        }
        return new Written(output.ToArray(), data, markers);
    }

    /// <summary>The data records as (direction, time, bytes).</summary>
    public static List<(StreamDirection Direction, long Time, byte[] Data)> Data(IEnumerable<StreamRecord> records)
    {
        var list = new List<(StreamDirection, long, byte[])>();
        foreach (var r in records.Where(r => r.IsData))
        {
            list.Add((r.Direction, r.TimeMicroseconds, r.Payload.ToArray()));
        }
        return list;
    }

    /// <summary>Concatenates all bytes that went one way.</summary>
    public static byte[] Stream(IEnumerable<(StreamDirection Direction, long Time, byte[] Data)> data, StreamDirection direction) =>
        [.. data.Where(d => d.Direction == direction).SelectMany(d => d.Data)];
}
