using Oriel.Bench.Desktop;

namespace Oriel.Bench.Desktop.Tests;

public class RecordingSummaryTests
{
    [Fact]
    public void Parses_the_items_of_the_recordings_list()
    {
        const string json =
            """
            { "items": [
                { "id": "ab12", "userId": "u1", "user": "bench", "targetId": "bench-desktop", "target": "Bench desktop",
                  "protocol": "vnc", "kind": "tdp", "started": "2026-12-03T17:00:00+00:00", "ended": "2026-12-03T17:00:30+00:00",
                  "durationMs": 30000, "sizeBytes": 2500000, "status": "complete", "problem": null },
                { "id": "cd34", "kind": "tdp", "durationMs": 0, "sizeBytes": 0, "status": "incomplete", "problem": "disk full" }
              ], "next": null }
            """;
        var list = RecordingSummary.ParseList(json);
        Assert.Equal(2, list.Count);
        Assert.Equal(new RecordingSummary("ab12", "tdp", 2_500_000, 30_000, "complete", null), list[0]);
        Assert.Equal(5_000_000, list[0].BytesPerMinute, 9); // 2.5 MB in half a minute
        Assert.Equal("disk full", list[1].Problem);
        Assert.True(double.IsNaN(list[1].BytesPerMinute)); // no duration: no rate, not infinity
        Assert.Empty(RecordingSummary.ParseList("""{ "items": [], "next": null }"""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{ "items": {} }""")]
    [InlineData("""{ "items": [ { "id": "a", "kind": "tdp", "durationMs": 1, "status": "complete" } ] }""")]
    [InlineData("""{ "items": [ { "id": "a", "kind": "tdp", "durationMs": 1, "sizeBytes": -5, "status": "complete" } ] }""")]
    [InlineData("""{ "items": [ { "id": "a", "kind": "tdp", "durationMs": 1.5, "sizeBytes": 5, "status": "complete" } ] }""")]
    [InlineData("""{ "items": [ { "id": 7, "kind": "tdp", "durationMs": 1, "sizeBytes": 5, "status": "complete" } ] }""")]
    [InlineData("""{ "items": [ 3 ] }""")]
    public void Malformed_lists_throw_FormatException(string json)
    {
        Assert.Throws<FormatException>(() => RecordingSummary.ParseList(json));
    }

    [Theory]
    [InlineData(1000, 60, 1000)]
    [InlineData(1000, 30, 2000)]
    [InlineData(0, 15, 0)]
    public void Per_minute_scales_to_sixty_seconds(double bytes, double seconds, double expected)
    {
        Assert.Equal(expected, RecordingSummary.PerMinute(bytes, seconds), 9);
    }

    [Fact]
    public void Per_minute_of_no_time_is_not_a_number()
    {
        Assert.True(double.IsNaN(RecordingSummary.PerMinute(100, 0)));
        Assert.True(double.IsNaN(RecordingSummary.PerMinute(100, -1)));
    }
}
