namespace Oriel.Gateway.Storage;

/// <summary>A create or update collided with an existing object (duplicate name or id) or a missing reference.</summary>
public sealed class StoreConflictException : Exception
{
    public StoreConflictException() { }

    public StoreConflictException(string message) : base(message) { }

    public StoreConflictException(string message, Exception inner) : base(message, inner) { }
}
