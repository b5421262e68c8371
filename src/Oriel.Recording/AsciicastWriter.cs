using System.Buffers;
using System.Text;

namespace Oriel.Recording;

/// <summary>
/// Writes an asciicast v2 recording of a terminal session (docs/asciicast.md) into a caller-supplied
/// <see cref="IBufferWriter{T}"/>: the header line at construction, then one complete line per event. The
/// caller persists what was written after each call (appends it to the file); a crash then loses at most
/// the line being written, and <see cref="AsciicastReader"/> reads up to the last complete line.
/// <para>
/// Times are microseconds since <see cref="AsciicastHeader.Timestamp"/>, supplied by the caller and never
/// decreasing, at most <see cref="AsciicastEvent.MaxTimeMicroseconds"/>; the file holds them as seconds with
/// exactly six decimals.
/// </para>
/// <para>
/// Output and input arrive as bytes in arbitrary chunks, while an event's data is a JSON string, that is
/// Unicode text. Each direction is decoded as UTF-8 on its own: an incomplete sequence at the end of a chunk
/// (a character split across two reads) is held back and completes the first character of the next chunk of
/// the same direction, so a split character is never damaged; bytes that are not UTF-8 at all become U+FFFD,
/// one per maximal ill-formed subsequence (Unicode's recommended practice, which is also what browsers and
/// xterm.js do). A chunk that holds only the start of a character writes no event; <see cref="Finish"/>
/// writes what is still held back, as U+FFFD. Not thread-safe.
/// </para>
/// </summary>
public sealed class AsciicastWriter
{
    // '[' + up to 20 digits + '.' + 6 digits + ', "o", ' and the closing '"]\n', with room to spare.
    private const int EventOverhead = 48;

    private readonly IBufferWriter<byte> _output;
    private readonly AsciicastWriterOptions _options;
    private readonly byte[] _outputCarry = new byte[3];
    private readonly byte[] _inputCarry = new byte[3];
    private int _outputCarryLength;
    private int _inputCarryLength;

    /// <summary>
    /// Writes the header line to <paramref name="output"/>. Throws <see cref="ArgumentOutOfRangeException"/> for a
    /// size outside 1..<see cref="AsciicastEvent.MaxDimension"/> or a text over <see cref="AsciicastHeader.MaxTextLength"/>.
    /// </summary>
    public AsciicastWriter(IBufferWriter<byte> output, AsciicastHeader header, AsciicastWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(header);
        options ??= new AsciicastWriterOptions();
        if (options.MaxEventDataBytes is < 4 or > AsciicastWriterOptions.MaxEventDataBytesLimit)
            throw new ArgumentOutOfRangeException(nameof(options), "MaxEventDataBytes is out of range");
        if (header.Width is < 1 or > AsciicastEvent.MaxDimension || header.Height is < 1 or > AsciicastEvent.MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(header), "width and height must be 1..65535");
        if (header.Timestamp < 0) throw new ArgumentOutOfRangeException(nameof(header), "timestamp must not be negative");
        foreach (var text in (ReadOnlySpan<string?>)[header.Title, header.Term, header.Shell])
        {
            if (text?.Length > AsciicastHeader.MaxTextLength)
                throw new ArgumentOutOfRangeException(nameof(header), $"header texts are at most {AsciicastHeader.MaxTextLength} characters");
        }
        _output = output;
        _options = options;
        Header = header;
        WriteHeader(header);
    }

    public AsciicastHeader Header { get; }

    /// <summary>Bytes written so far.</summary>
    public long Position { get; private set; }

    /// <summary>Event lines written so far.</summary>
    public long EventCount { get; private set; }

    /// <summary>The time of the last event written, or given to a call that wrote nothing.</summary>
    public long TimeMicroseconds { get; private set; }

    /// <summary>True after <see cref="Finish"/>.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>
    /// Records terminal output (<c>"o"</c>). Returns the bytes written, 0 when the chunk only started a character.
    /// </summary>
    public int WriteOutput(long time, ReadOnlySpan<byte> data)
        => WriteText(time, (byte)'o', data, _outputCarry, ref _outputCarryLength);

    /// <summary>
    /// Records typed input (<c>"i"</c>) when <see cref="AsciicastWriterOptions.RecordInput"/> is on; otherwise
    /// drops it and returns 0. The caller may also reduce input itself (for example, leave out what was typed at
    /// a password prompt) by not passing it here.
    /// </summary>
    public int WriteInput(long time, ReadOnlySpan<byte> data)
    {
        if (!_options.RecordInput)
        {
            Advance(time);
            return 0;
        }
        return WriteText(time, (byte)'i', data, _inputCarry, ref _inputCarryLength);
    }

    /// <summary>Records a terminal resize (<c>"r"</c>, data <c>COLSxROWS</c>).</summary>
    public int WriteResize(long time, int columns, int rows)
    {
        if (columns is < 1 or > AsciicastEvent.MaxDimension) throw new ArgumentOutOfRangeException(nameof(columns));
        if (rows is < 1 or > AsciicastEvent.MaxDimension) throw new ArgumentOutOfRangeException(nameof(rows));
        Advance(time);
        var span = _output.GetSpan(EventOverhead + 16);
        var n = WriteEventStart(time, (byte)'r', span);
        columns.TryFormat(span[n..], out var c, default, System.Globalization.CultureInfo.InvariantCulture);
        n += c;
        span[n++] = (byte)'x';
        rows.TryFormat(span[n..], out var r, default, System.Globalization.CultureInfo.InvariantCulture);
        n += r;
        return Commit(span, n);
    }

    /// <summary>Records a marker (<c>"m"</c>) with a label of at most <see cref="AsciicastHeader.MaxTextLength"/> characters.</summary>
    public int WriteMarker(long time, string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (label.Length > AsciicastHeader.MaxTextLength) throw new ArgumentOutOfRangeException(nameof(label), "the label is too long");
        Advance(time);
        var span = _output.GetSpan(EventOverhead + AsciicastJson.MaxBytesPerUnit * label.Length);
        var n = WriteEventStart(time, (byte)'m', span);
        n += AsciicastJson.WriteStringContent(label, span[n..]);
        return Commit(span, n);
    }

    /// <summary>
    /// Ends the recording: writes the output and input still held back (an unfinished character) as U+FFFD
    /// events at <paramref name="time"/>. Returns the bytes written. Later writes throw.
    /// </summary>
    public int Finish(long time)
    {
        Advance(time);
        var written = 0;
        if (_outputCarryLength > 0) written += WriteEvent(time, (byte)'o', [], _outputCarry, ref _outputCarryLength, flush: true);
        if (_inputCarryLength > 0) written += WriteEvent(time, (byte)'i', [], _inputCarry, ref _inputCarryLength, flush: true);
        IsFinished = true;
        return written;
    }

    private int WriteText(long time, byte code, ReadOnlySpan<byte> data, byte[] carry, ref int carryLength)
    {
        Advance(time);
        var written = 0;
        var max = _options.MaxEventDataBytes;
        do
        {
            var slice = data.Length > max ? data[..max] : data;
            written += WriteEvent(time, code, slice, carry, ref carryLength, flush: false);
            data = data[slice.Length..];
        }
        while (!data.IsEmpty);
        return written;
    }

    /// <summary>Writes one event from the held-back bytes and <paramref name="data"/>; nothing when no character results.</summary>
    private int WriteEvent(long time, byte code, ReadOnlySpan<byte> data, byte[] carry, ref int carryLength, bool flush)
    {
        var span = _output.GetSpan(EventOverhead + AsciicastJson.MaxBytesPerUnit * (carryLength + data.Length));
        var start = WriteEventStart(time, code, span);
        var n = start;
        if (carryLength > 0)
        {
            // The held-back bytes are the start of a character; at most four more bytes complete or refute it.
            Span<byte> joined = stackalloc byte[8];
            carry.AsSpan(0, carryLength).CopyTo(joined);
            var take = Math.Min(4, data.Length);
            data[..take].CopyTo(joined[carryLength..]);
            var held = carryLength;
            var both = joined[..(held + take)];
            var pos = 0;
            carryLength = 0;
            while (pos < held)
            {
                var status = Rune.DecodeFromUtf8(both[pos..], out var rune, out var used);
                if (status == OperationStatus.NeedMoreData && !flush)
                {
                    // Still incomplete: then all of data was in 'both' (four more bytes would have decided it).
                    both[pos..].CopyTo(carry);
                    carryLength = both.Length - pos;
                    return CommitOrDrop(span, start, n);
                }
                n += AsciicastJson.WriteRune(rune, span[n..]); // U+FFFD unless Done
                pos += used;
            }
            data = data[(pos - held)..];
        }
        while (!data.IsEmpty)
        {
            var b = data[0];
            if (b < 0x80)
            {
                n += AsciicastJson.WriteRune(new Rune(b), span[n..]);
                data = data[1..];
                continue;
            }
            var status = Rune.DecodeFromUtf8(data, out var rune, out var used);
            if (status == OperationStatus.NeedMoreData && !flush)
            {
                data.CopyTo(carry);
                carryLength = data.Length;
                break;
            }
            n += AsciicastJson.WriteRune(rune, span[n..]);
            data = data[used..];
        }
        return CommitOrDrop(span, start, n);
    }

    private int CommitOrDrop(Span<byte> span, int start, int n) => n == start ? 0 : Commit(span, n);

    /// <summary><c>[time, "c", "</c>: everything up to the data's first byte.</summary>
    private static int WriteEventStart(long time, byte code, Span<byte> span)
    {
        var n = 0;
        span[n++] = (byte)'[';
        n += AsciicastJson.WriteTime(time, span[n..]);
        ", \""u8.CopyTo(span[n..]);
        n += 3;
        span[n++] = code;
        "\", \""u8.CopyTo(span[n..]);
        return n + 4;
    }

    /// <summary>Closes the data string and the line, and hands the line to the output.</summary>
    private int Commit(Span<byte> span, int n)
    {
        "\"]\n"u8.CopyTo(span[n..]);
        n += 3;
        _output.Advance(n);
        Position += n;
        EventCount++;
        return n;
    }

    private void Advance(long time)
    {
        if (IsFinished) throw new InvalidOperationException("the recording is finished");
        if (time > AsciicastEvent.MaxTimeMicroseconds) throw new ArgumentOutOfRangeException(nameof(time), $"time {time} us is past the last time a recording may have");
        if (time < TimeMicroseconds) throw new ArgumentOutOfRangeException(nameof(time), $"time {time} us goes back from {TimeMicroseconds} us");
        TimeMicroseconds = time;
    }

    private void WriteHeader(AsciicastHeader header)
    {
        var texts = (header.Title?.Length ?? 0) + (header.Term?.Length ?? 0) + (header.Shell?.Length ?? 0);
        var span = _output.GetSpan(160 + AsciicastJson.MaxBytesPerUnit * texts);
        var n = AsciicastJson.WriteAscii($"{{\"version\": 2, \"width\": {header.Width}, \"height\": {header.Height}", span);
        if (header.Timestamp is { } timestamp) n += AsciicastJson.WriteAscii($", \"timestamp\": {timestamp}", span[n..]);
        if (header.Title is { } title)
        {
            n += AsciicastJson.WriteAscii(", \"title\": ", span[n..]);
            n += AsciicastJson.WriteString(title, span[n..]);
        }
        if (header.Term is not null || header.Shell is not null)
        {
            n += AsciicastJson.WriteAscii(", \"env\": {", span[n..]);
            if (header.Term is { } term)
            {
                n += AsciicastJson.WriteAscii("\"TERM\": ", span[n..]);
                n += AsciicastJson.WriteString(term, span[n..]);
            }
            if (header.Shell is { } shell)
            {
                n += AsciicastJson.WriteAscii(header.Term is null ? "\"SHELL\": " : ", \"SHELL\": ", span[n..]);
                n += AsciicastJson.WriteString(shell, span[n..]);
            }
            span[n++] = (byte)'}';
        }
        span[n++] = (byte)'}';
        span[n++] = (byte)'\n';
        _output.Advance(n);
        Position += n;
    }
}
