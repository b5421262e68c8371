namespace Oriel.Gateway.Storage;

/// <summary>
/// Filters for <see cref="IOrielStore.ListRecordingsAsync"/>; unset ones match everything. <see cref="From"/> and
/// <see cref="To"/> bound the start time (inclusive, exclusive); <see cref="StartedBefore"/> pages backwards (the
/// previous page's oldest start). <see cref="Limit"/> is clamped to 1-1000.
/// </summary>
public sealed record RecordingQuery(
    string? UserId = null,
    string? TargetId = null,
    string? Protocol = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Limit = 100,
    DateTimeOffset? StartedBefore = null);
