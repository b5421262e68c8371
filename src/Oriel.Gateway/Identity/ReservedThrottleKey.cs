namespace Oriel.Gateway.Identity;

/// <summary>
/// One key's part of a <see cref="ThrottleReservation"/>: the lock the row had before the reservation (never in
/// force, or the reservation would have been refused) and the lock it had after, so that giving the reservation
/// back can undo a lock the reservation itself set, and nothing else.
/// </summary>
public sealed record ReservedThrottleKey(string Key, DateTimeOffset LockBefore, DateTimeOffset LockAfter);
