using System.Text;
using Oriel.Tdp;

namespace Oriel.Testing.Fuzzing;

/// <summary>
/// The starting corpus of each fuzz target, made from the repository's byte vectors (tests/vectors/tdp.json,
/// tests/*/vectors) in the target's input layout (<see cref="FuzzTargets"/>), so the fuzzer starts from inputs
/// that reach deep into each decoder and the seeds follow the vectors when they change.
/// </summary>
public static class FuzzSeeds
{
    /// <summary>The seeds of <paramref name="target"/>, named, from the checkout at <paramref name="repositoryRoot"/>.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> For(string target, string repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(repositoryRoot);
        var tests = Path.Combine(repositoryRoot, "tests");
        byte[] Rfb(string name) => HexVectors.LoadFile(Path.Combine(tests, "Oriel.Rfb.Tests", "vectors", name + ".hex"));
        var seeds = target switch
        {
            "tdp-client" => TdpSeeds(tests, TdpMessageDirection.IsSentByClient, handshake: true),
            "tdp-server" => TdpSeeds(tests, TdpMessageDirection.IsSentByServer, handshake: false),
            "rfb-handshake" => RfbHandshakeSeeds(Rfb),
            "rfb-server" => RfbServerSeeds(Rfb, TightJpegUpdate(tests)),
            "passthrough-filter" => PassthroughFilterSeeds(Rfb),
            "passthrough-handshake" =>
            [
                ("3.8-none", [0, .. Ascii("RFB 003.008\n"), 0x01, 0x01]),
                ("3.3", [1, .. Ascii("RFB 003.003\n"), 0x00]),
                ("3.7-bytewise", [1, .. Ascii("RFB 003.007\n"), 0x01, 0x01]),
            ],
            "recording" =>
            [
                ("small", [0, .. HexVectors.LoadFile(Path.Combine(tests, "Oriel.Recording.Tests", "vectors", "small.orec.hex"))]),
                ("small-chunked", [7, .. HexVectors.LoadFile(Path.Combine(tests, "Oriel.Recording.Tests", "vectors", "small.orec.hex"))]),
            ],
            "tdp-recording" => TdpRecordingSeeds(tests),
            "png" => Directory.GetFiles(Path.Combine(tests, "Oriel.Graphics.Tests", "vectors"), "png-*.hex").Order(StringComparer.Ordinal)
                .Select(f => (Path.GetFileNameWithoutExtension(f), (byte[])[0, 0, .. HexVectors.LoadFile(f)])).ToList(),
            "recording-replay" => RecordingReplaySeeds(Rfb, TightJpegUpdate(tests)),
            _ when target.StartsWith("rfb-", StringComparison.Ordinal) => EncodingSeeds(target, Path.Combine(tests, "Oriel.Rfb.Encodings.Tests", "vectors")),
            _ => throw new ArgumentException($"no fuzz target '{target}'", nameof(target)),
        };
        if (seeds.Count == 0) throw new InvalidOperationException($"no seeds for fuzz target '{target}'");
        return seeds;
    }

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    /// <summary>
    /// tests/vectors/recording/tdp-small.orec.hex whole, fed in chunks, cut inside its keyframe and without its End
    /// record (so the timeline comes from a scan), and the rfb-passthrough small.orec (a kind without keyframes).
    /// </summary>
    private static List<(string, byte[])> TdpRecordingSeeds(string tests)
    {
        var tdp = HexVectors.LoadFile(Path.Combine(tests, "vectors", "recording", "tdp-small.orec.hex"));
        const int KeyframeSecondPart = 415;
        const int EndRecord = 622;
        return
        [
            ("tdp-small", [0, .. tdp]),
            ("tdp-small-chunked", [13, .. tdp]),
            ("tdp-small-cut-in-keyframe", [0, .. tdp[..(KeyframeSecondPart + 20)]]),
            ("tdp-small-no-end", [0, .. tdp[..EndRecord]]),
            ("rfb-small", [0, .. HexVectors.LoadFile(Path.Combine(tests, "Oriel.Recording.Tests", "vectors", "small.orec.hex"))]),
        ];
    }

    /// <summary>
    /// A FramebufferUpdate (RFC 6143 7.6.1) of one Tight JpegCompression rectangle: the tight-jpeg vector's
    /// 2x1 JPEG at 5,3, which fits the fuzz targets' 8x4 and the vectors' 800x600 framebuffers, so the
    /// fuzzer starts inside the JPEG path of the engine and the observer.
    /// </summary>
    private static byte[] TightJpegUpdate(string tests)
    {
        var v = EncodingVector.Load("tight-jpeg.vec", Path.Combine(tests, "Oriel.Rfb.Encodings.Tests", "vectors"));
        byte[] header =
        [
            0, 0, 0, 1,
            (byte)(v.Rect.X >> 8), (byte)v.Rect.X, (byte)(v.Rect.Y >> 8), (byte)v.Rect.Y,
            (byte)(v.Rect.Width >> 8), (byte)v.Rect.Width, (byte)(v.Rect.Height >> 8), (byte)v.Rect.Height,
            .. EncodingVector.U32(v.Encoding),
        ];
        return [.. header, .. v.Payload()];
    }

    private static List<(string, byte[])> TdpSeeds(string tests, Func<TdpMessageType, bool> sentBy, bool handshake)
    {
        var valid = TdpVectors.ValidBytesIn(Path.Combine(tests, "vectors", "tdp.json"))
            .Where(v => v.Bytes.Length > 0 && sentBy((TdpMessageType)v.Bytes[0]))
            .ToList();
        var seeds = valid.Select(v => (v.Name, v.Bytes)).ToList();
        if (handshake)
        {
            // A whole stream: username, screen spec, then everything else a browser sends.
            var ordered = valid.OrderBy(v => (TdpMessageType)v.Bytes[0] switch
            {
                TdpMessageType.ClientUsername => 0,
                TdpMessageType.ClientScreenSpec => 1,
                _ => 2,
            });
            seeds.Add(("stream", [.. ordered.SelectMany(v => v.Bytes)]));
        }
        return seeds;
    }

    private static List<(string, byte[])> RfbHandshakeSeeds(Func<string, byte[]> rfb)
    {
        var serverInit = rfb("server_init");
        return
        [
            ("3.8-none", [0, .. rfb("protocol_version_3_8"), .. rfb("security_types"), .. rfb("security_result_ok"), .. serverInit]),
            ("3.8-vnc-auth", [0, .. Ascii("RFB 003.008\n"), .. HexVectors.Hex("02 01 02 000102030405060708090a0b0c0d0e0f 00000000"), .. serverInit]),
            ("3.3-vnc-auth", [5, .. rfb("protocol_version_3_3"), .. HexVectors.Hex("00000002 000102030405060708090a0b0c0d0e0f 00000000"), .. serverInit]),
            ("3.8-failed", [0, .. rfb("protocol_version_3_8"), .. rfb("security_types"), .. rfb("security_result_failed_3_8")]),
            ("3.8-refused", [0, .. rfb("protocol_version_3_8"), .. rfb("security_types_failure")]),
            ("3.8-vencrypt", [1, .. rfb("protocol_version_3_8"), .. HexVectors.Hex("01 13"), .. rfb("vencrypt_version_0_2"), .. HexVectors.Hex("00"), .. rfb("vencrypt_subtypes"), .. HexVectors.Hex("01 00000000"), .. serverInit]),
        ];
    }

    private static List<(string, byte[])> RfbServerSeeds(Func<string, byte[]> rfb, byte[] tightJpeg)
    {
        byte[] oneRect = [0, 0, 0, 1];
        var raw = rfb("framebuffer_update_raw");
        List<(string, byte[])> seeds =
        [
            ("raw", [0, .. raw]),
            ("copyrect", [0, .. rfb("framebuffer_update_copyrect")]),
            ("cursor", [0, .. oneRect, .. rfb("cursor_rect")]),
            ("extended-desktop-size", [0, .. oneRect, .. rfb("extended_desktop_size_rect")]),
            ("colour-map", [0, .. rfb("set_colour_map_entries")]),
            ("cut-text", [0, .. rfb("server_cut_text")]),
            ("cut-text-extended", [0, .. rfb("server_cut_text_extended_provide")]),
            ("bell", [0, .. rfb("bell")]),
            ("fence", [0, .. HexVectors.Hex("f8 000000 80000003 02 abcd")]),
            ("tight-jpeg", [0, .. tightJpeg]),
        ];
        seeds.Add(("all", [3, .. seeds.SelectMany(s => s.Item2[1..])]));
        return seeds;
    }

    /// <summary>Both directions of a 3.8 session, as the relay records them: records of direction, length, bytes.</summary>
    private static List<(string, byte[])> RecordingReplaySeeds(Func<string, byte[]> rfb, byte[] tightJpeg)
    {
        static byte[] Records(params (bool FromServer, byte[] Bytes)[] parts)
        {
            var o = new List<byte>();
            foreach (var (fromServer, bytes) in parts)
            {
                for (var i = 0; i < bytes.Length; i += 255)
                {
                    var n = Math.Min(255, bytes.Length - i);
                    o.Add(fromServer ? (byte)1 : (byte)0);
                    o.Add((byte)n);
                    o.AddRange(bytes.AsSpan(i, n).ToArray());
                }
            }
            return [.. o];
        }
        var version = rfb("protocol_version_3_8");
        (bool, byte[])[] handshake =
        [
            (true, version), (false, version), (true, rfb("security_types")), (false, [0x01]),
            (true, rfb("security_result_ok")), (false, rfb("client_init_shared")), (true, rfb("server_init")),
        ];
        (bool, byte[])[] session =
        [
            (false, rfb("set_pixel_format_rgb888")), (false, rfb("set_encodings")), (false, rfb("framebuffer_update_request")),
            (true, rfb("framebuffer_update_raw")), (true, rfb("framebuffer_update_copyrect")), (true, [0, 0, 0, 1, .. rfb("cursor_rect")]),
            (false, rfb("key_event")), (false, rfb("pointer_event")), (false, rfb("client_cut_text")),
            (true, rfb("set_colour_map_entries")), (true, rfb("server_cut_text")), (true, rfb("bell")),
            (true, tightJpeg),
        ];
        return
        [
            ("handshake", Records(handshake)),
            ("session", Records([.. handshake, .. session])),
            ("vnc-auth", Records((true, version), (false, version), (true, rfb("security_types")), (false, [0x02]), (true, new byte[16]), (false, new byte[16]), (true, rfb("security_result_failed_3_8")))),
        ];
    }

    private static List<(string, byte[])> PassthroughFilterSeeds(Func<string, byte[]> rfb)
    {
        byte[] messages =
        [
            .. rfb("set_pixel_format_rgb888"), .. rfb("set_encodings"), .. rfb("framebuffer_update_request"), .. rfb("key_event"),
            .. rfb("pointer_event"), .. rfb("client_cut_text"), .. rfb("client_cut_text_extended_caps"), .. rfb("set_desktop_size"),
            .. HexVectors.Hex("96 01 0000 0000 0320 0258  f8 000000 80000003 02 abcd  fa 00 01 02  ff 00 0001 0000ff0d 0000001c"),
        ];
        return
        [
            ("3.8-none", [0, 0, .. rfb("protocol_version_3_8"), 0x01, .. rfb("client_init_shared"), .. messages]),
            ("3.8-vnc-auth", [0, 0, .. rfb("protocol_version_3_8"), 0x02, .. new byte[16], .. rfb("client_init_shared"), .. messages]),
            ("3.3-none", [3, 2, .. rfb("protocol_version_3_3"), .. rfb("client_init_shared"), .. messages]),
            ("3.8-vencrypt", [0, 0, .. rfb("protocol_version_3_8"), 0x13, 0, 2, 0, 0, 1, 0]),
        ];
    }

    private static List<(string, byte[])> EncodingSeeds(string target, string directory)
    {
        var encoding = target switch
        {
            "rfb-raw" => Rfb.Encodings.RfbEncodingType.Raw,
            "rfb-copyrect" => Rfb.Encodings.RfbEncodingType.CopyRect,
            "rfb-rre" => Rfb.Encodings.RfbEncodingType.Rre,
            "rfb-hextile" => Rfb.Encodings.RfbEncodingType.Hextile,
            "rfb-trle" => Rfb.Encodings.RfbEncodingType.Trle,
            "rfb-zrle" => Rfb.Encodings.RfbEncodingType.Zrle,
            "rfb-tight" => Rfb.Encodings.RfbEncodingType.Tight,
            _ => throw new ArgumentException($"no fuzz target '{target}'", nameof(target)),
        };
        var seeds = new List<(string, byte[])>();
        foreach (var name in EncodingVector.Names(directory))
        {
            var v = EncodingVector.Load(name, directory);
            if (v.Encoding != encoding || v.FbWidth > 128 || v.FbHeight > 128) continue;
            byte[] header =
            [
                (byte)Array.IndexOf(TestFormats.All, v.Format), (byte)(v.FbWidth - 1), (byte)(v.FbHeight - 1),
                (byte)v.Rect.X, (byte)v.Rect.Y, (byte)v.Rect.Width, (byte)v.Rect.Height, 0,
            ];
            seeds.Add((Path.GetFileNameWithoutExtension(name), [.. header, .. v.Payload()]));
        }
        return seeds;
    }
}
