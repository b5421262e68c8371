namespace Oriel.Rfb;

/// <summary>Something the engine reports to its driver; dequeue with <see cref="RfbClient.TryDequeueEvent"/>.</summary>
public abstract record RfbEvent;
