using Oriel.Graphics.TurboJpeg;
using Oriel.Rfb.Replay;
using Oriel.Testing.Fuzzing;

namespace Oriel.Rfb.Tests;

/// <summary>
/// The fuzzer's seeds for the RFB client and the replay observer carry a Tight JpegCompression rectangle
/// (the tight-jpeg vector: a 2x1 808080 JPEG at 5,3). With the real codec they decode to the end and paint
/// it, so the fuzzer starts inside the JPEG path rather than having to find it.
/// </summary>
public class FuzzSeedJpegTests
{
    private const uint Grey = 0x808080;

    [Fact]
    public void The_rfb_server_tight_jpeg_seed_paints_the_jpeg()
    {
        var seed = Seed("rfb-server", "tight-jpeg");
        using var jpeg = TurboJpegLibrary.CreateCodec();
        var client = new RfbClient(new RfbClientOptions { Jpeg = jpeg }, new RecordingSink());
        client.Receive(FuzzTargets.ConnectedPrefix);

        client.Receive(seed.AsSpan(1)); // after the chunk byte

        var events = new List<RfbEvent>();
        while (client.TryDequeueEvent(out var e)) events.Add(e);
        Assert.Equal(RfbPhase.Normal, client.Phase);
        Assert.Single(events.OfType<RfbUpdateCompleted>());
        var fb = client.Framebuffer!;
        Assert.Equal([Grey, Grey], fb.Pixels.Slice(3 * fb.Width + 5, 2).ToArray());
    }

    [Fact]
    public void The_recording_replay_session_seed_ends_with_the_jpeg_painted()
    {
        var seed = Seed("recording-replay", "session");
        using var jpeg = TurboJpegLibrary.CreateCodec();
        var observer = new RfbStreamObserver(options: new RfbStreamObserverOptions { Jpeg = jpeg, QueueEvents = false });

        for (var rest = seed.AsSpan(); rest.Length >= 2;)
        {
            var n = rest[1];
            observer.Observe((rest[0] & 1) == 1 ? RfbStreamDirection.ServerToClient : RfbStreamDirection.ClientToServer, rest.Slice(2, n));
            rest = rest[(2 + n)..];
        }

        Assert.Equal(RfbPhase.Normal, observer.Phase);
        var fb = observer.Framebuffer!;
        Assert.Equal([Grey, Grey], fb.Pixels.Slice(3 * fb.Width + 5, 2).ToArray());
    }

    private static byte[] Seed(string target, string name) =>
        FuzzSeeds.For(target, RepositoryRoot()).Single(s => s.Name == name).Bytes;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Oriel.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("no Oriel.sln above " + AppContext.BaseDirectory);
    }
}
