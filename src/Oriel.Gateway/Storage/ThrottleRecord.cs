namespace Oriel.Gateway.Storage;

/// <summary>Failed sign-in bookkeeping for one key ("user:NAME" or "ip:ADDRESS").</summary>
public sealed record ThrottleRecord(string Key, int Failures, DateTimeOffset WindowStart, DateTimeOffset LockedUntil);
