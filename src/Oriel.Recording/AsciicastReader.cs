using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>
/// Reads an asciicast v2 file (docs/asciicast.md), as the recordings player and exporter need it: the header
/// and the events, with times in microseconds. Input is untrusted: the whole file and every line are checked
/// against their caps before anything is decoded, and anything malformed throws <see cref="DecodeException"/>
/// naming the line (1-based) and its byte offset.
/// <para>
/// Tolerant where it costs nothing: a carriage return before the newline, blank lines, header fields and
/// <c>env</c> entries it does not know, and events with codes it does not know (counted, skipped). A last line
/// with no newline is read if it is a whole value; otherwise the file was cut off while being written and
/// is read up to its last complete line (<see cref="AsciicastReadResult.TruncatedAt"/>).
/// </para>
/// </summary>
public static class AsciicastReader
{
    /// <summary>Default cap on one line, newline excluded; well above the writer's longest line.</summary>
    public const int DefaultMaxLineLength = 1024 * 1024;

    /// <summary>Default cap on the whole file.</summary>
    public const long DefaultMaxTotalLength = 1L << 30;

    private const string What = "asciicast";

    /// <summary>Reads <paramref name="file"/>; see the type's summary.</summary>
    public static AsciicastReadResult ReadAll(ReadOnlySpan<byte> file, int maxLineLength = DefaultMaxLineLength, long maxTotalLength = DefaultMaxTotalLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTotalLength, 1);
        DecodeException.ThrowIfOverCap($"{What} file", file.Length, maxTotalLength);

        AsciicastHeader? header = null;
        var events = new List<AsciicastEvent>();
        var skipped = 0;
        long offset = 0;
        long? truncatedAt = null;
        var lineNumber = 0;
        var lastTime = 0L;
        var rest = file;
        while (!rest.IsEmpty)
        {
            lineNumber++;
            var end = rest.IndexOf((byte)'\n');
            var complete = end >= 0;
            var line = complete ? rest[..end] : rest;
            if (line.Length > maxLineLength)
            {
                throw new DecodeException(What, offset, $"line {lineNumber}: longer than the cap of {maxLineLength} bytes");
            }
            if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
            if (!complete && !IsWholeValue(line))
            {
                truncatedAt = offset;
                break;
            }
            if (!line.Trim(" \t"u8).IsEmpty)
            {
                if (header is null)
                {
                    header = ReadHeader(line, offset, lineNumber);
                }
                else if (ReadEvent(line, offset, lineNumber) is { } e)
                {
                    if (e.TimeMicroseconds < lastTime)
                        throw new DecodeException(What, offset, $"line {lineNumber}: the time goes back");
                    lastTime = e.TimeMicroseconds;
                    events.Add(e);
                }
                else
                {
                    skipped++;
                }
            }
            var consumed = complete ? end + 1 : rest.Length;
            offset += consumed;
            rest = rest[consumed..];
        }
        return new AsciicastReadResult
        {
            Header = header,
            Events = events,
            ValidLength = offset,
            TruncatedAt = truncatedAt,
            SkippedEvents = skipped,
        };
    }

    /// <summary>Whether an unterminated last line is a whole JSON value (written without its newline) rather than a cut one.</summary>
    private static bool IsWholeValue(ReadOnlySpan<byte> line)
    {
        if (line.Trim(" \t"u8).IsEmpty) return true; // a blank line, with or without its newline, holds nothing to lose
        if (!Utf8.IsValid(line)) return false; // also a character cut in two
        var reader = new Utf8JsonReader(line);
        try
        {
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static AsciicastHeader ReadHeader(ReadOnlySpan<byte> line, long offset, int lineNumber)
    {
        int? version = null, width = null, height = null;
        long? timestamp = null;
        string? title = null, term = null, shell = null;
        Parse(line, offset, lineNumber, (ref Utf8JsonReader r) =>
        {
            Expect(ref r, JsonTokenType.StartObject, "the header is not an object");
            while (Next(ref r).TokenType == JsonTokenType.PropertyName)
            {
                var name = r.GetString();
                Next(ref r);
                switch (name)
                {
                    case "version": version = Integer(ref r, "version"); break;
                    case "width": width = Integer(ref r, "width"); break;
                    case "height": height = Integer(ref r, "height"); break;
                    case "timestamp": timestamp = Timestamp(ref r); break;
                    case "title": title = OptionalText(ref r, "title"); break;
                    case "env":
                        if (r.TokenType == JsonTokenType.Null) break;
                        if (r.TokenType != JsonTokenType.StartObject) throw new FormatException("env is not an object");
                        while (Next(ref r).TokenType == JsonTokenType.PropertyName)
                        {
                            var key = r.GetString();
                            Next(ref r);
                            switch (key)
                            {
                                case "TERM": term = OptionalText(ref r, "env.TERM"); break;
                                case "SHELL": shell = OptionalText(ref r, "env.SHELL"); break;
                                default: r.Skip(); break;
                            }
                        }
                        break;
                    default: r.Skip(); break;
                }
            }
        });
        if (version is null) throw Error(offset, lineNumber, "the header has no version");
        if (version != 2) throw Error(offset, lineNumber, $"version {version} is not supported (only 2)");
        if (width is not (>= 1 and <= AsciicastEvent.MaxDimension) || height is not (>= 1 and <= AsciicastEvent.MaxDimension))
            throw Error(offset, lineNumber, "width and height must be 1..65535");
        return new AsciicastHeader { Width = width.Value, Height = height.Value, Timestamp = timestamp, Title = title, Term = term, Shell = shell };
    }

    /// <summary>Reads an event line; null for a well-formed event of an unknown code.</summary>
    private static AsciicastEvent? ReadEvent(ReadOnlySpan<byte> line, long offset, int lineNumber)
    {
        AsciicastEvent? result = null;
        Parse(line, offset, lineNumber, (ref Utf8JsonReader r) =>
        {
            Expect(ref r, JsonTokenType.StartArray, "an event is not an array");
            Expect(ref Next(ref r), JsonTokenType.Number, "an event's time is not a number");
            if (!r.TryGetDecimal(out var seconds) || seconds < 0 || seconds * 1_000_000m > AsciicastEvent.MaxTimeMicroseconds)
                throw new FormatException("an event's time is out of range");
            var time = (long)decimal.Round(seconds * 1_000_000m, MidpointRounding.AwayFromZero);
            Expect(ref Next(ref r), JsonTokenType.String, "an event's code is not a string");
            var code = r.GetString();
            Expect(ref Next(ref r), JsonTokenType.String, "an event's data is not a string");
            var data = r.GetString()!;
            Expect(ref Next(ref r), JsonTokenType.EndArray, "an event has more than three elements");
            AsciicastEventCode? known = code switch
            {
                "o" => AsciicastEventCode.Output,
                "i" => AsciicastEventCode.Input,
                "r" => AsciicastEventCode.Resize,
                "m" => AsciicastEventCode.Marker,
                _ => null,
            };
            if (known is null) return;
            var e = new AsciicastEvent(time, known.Value, data);
            if (known == AsciicastEventCode.Resize && !e.TryGetSize(out _, out _))
                throw new FormatException("a resize event's data is not COLSxROWS");
            result = e;
        });
        return result;
    }

    private delegate void LineParser(ref Utf8JsonReader reader);

    /// <summary>Runs <paramref name="parse"/> over one line and maps every failure to <see cref="DecodeException"/>.</summary>
    private static void Parse(ReadOnlySpan<byte> line, long offset, int lineNumber, LineParser parse)
    {
        if (!Utf8.IsValid(line)) throw Error(offset, lineNumber, "the line is not UTF-8");
        var reader = new Utf8JsonReader(line);
        try
        {
            reader.Read();
            parse(ref reader);
            if (reader.Read()) throw new FormatException("more than one value on the line");
        }
        catch (JsonException e)
        {
            throw Error(offset, lineNumber, $"not JSON ({e.Message})");
        }
        catch (FormatException e)
        {
            throw Error(offset, lineNumber, e.Message);
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.GetString on an escaped lone surrogate ("\ud800").
            throw Error(offset, lineNumber, "a string is not valid Unicode");
        }
    }

    private static ref Utf8JsonReader Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new FormatException("the line ends inside a value");
        return ref reader;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string why)
    {
        if (reader.TokenType != type) throw new FormatException(why);
    }

    private static int Integer(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value))
            throw new FormatException($"{name} is not an integer");
        return value;
    }

    /// <summary>Unix seconds; asciinema writes an integer, some tools a fraction, which is truncated.</summary>
    private static long? Timestamp(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out var value) || value < 0 || value > long.MaxValue)
            throw new FormatException("timestamp is not a non-negative number");
        return (long)decimal.Truncate(value);
    }

    private static string? OptionalText(ref Utf8JsonReader reader, string name) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        _ => throw new FormatException($"{name} is not a string"),
    };

    private static DecodeException Error(long offset, int lineNumber, string why) => new(What, offset, $"line {lineNumber}: {why}");
}
