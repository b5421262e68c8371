using System.Text.Json;

namespace Oriel.Bench.Desktop;

/// <summary>
/// A session recording as the gateway's catalog lists it after the session ended (<c>GET /api/recordings</c>):
/// its size on disk and its duration, from which the benchmark reports bytes per minute.
/// </summary>
internal sealed record RecordingSummary(string Id, string Kind, long SizeBytes, long DurationMs, string Status, string? Problem)
{
    /// <summary>The catalog's status of a recording still being written.</summary>
    public const string Recording = "recording";

    /// <summary>Bytes per minute over the whole recording (connect, warm-up, measured window, close); NaN when it has no duration.</summary>
    public double BytesPerMinute => PerMinute(SizeBytes, DurationMs / 1000.0);

    /// <summary><paramref name="bytes"/> ÷ (<paramref name="seconds"/> / 60); NaN when <paramref name="seconds"/> is not positive.</summary>
    public static double PerMinute(double bytes, double seconds) => seconds > 0 ? bytes * 60 / seconds : double.NaN;

    /// <summary>
    /// Reads the <c>items</c> of a <c>GET /api/recordings</c> answer. Throws <see cref="FormatException"/> when the
    /// document is not that shape (the benchmark then reports the run as failed, with the reason).
    /// </summary>
    public static IReadOnlyList<RecordingSummary> ParseList(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("the recordings list has no items array");
            }
            var list = new List<RecordingSummary>();
            foreach (var item in items.EnumerateArray())
            {
                list.Add(new RecordingSummary(
                    String(item, "id"),
                    String(item, "kind"),
                    Int64(item, "sizeBytes"),
                    Int64(item, "durationMs"),
                    String(item, "status"),
                    item.TryGetProperty("problem", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null));
            }
            return list;
        }
        catch (JsonException e)
        {
            throw new FormatException("the recordings list is not JSON: " + e.Message, e);
        }
    }

    private static string String(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new FormatException($"a recording has no string '{name}'");

    private static long Int64(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 0
            ? n
            : throw new FormatException($"a recording has no non-negative integer '{name}'");
}
