using System.IO.Compression;

namespace Oriel.Testing;

/// <summary>A server-side zlib stream: each block is flushed with Z_SYNC_FLUSH, as RFB servers do.</summary>
public sealed class Compressor : IDisposable
{
    private readonly MemoryStream _sink = new();
    private readonly ZLibStream _zlib;

    public Compressor(CompressionLevel level = CompressionLevel.Optimal)
    {
        _zlib = new ZLibStream(_sink, level, leaveOpen: true);
    }

    public byte[] Compress(ReadOnlySpan<byte> data)
    {
        _sink.SetLength(0);
        _zlib.Write(data);
        _zlib.Flush();
        return _sink.ToArray();
    }

    public void Dispose()
    {
        _zlib.Dispose();
        _sink.Dispose();
    }
}
