namespace Oriel.Tdp;

/// <summary>Oriel message 107 <c>mode</c>: what the client's screen specs (1) mean for the remote desktop's size.</summary>
public enum RemoteResizeMode : byte
{
    /// <summary>The remote desktop keeps its size; a screen spec only says how large the browser's view is.</summary>
    Keep = 0,

    /// <summary>The remote desktop is resized to each screen spec (the default when 107 was never sent).</summary>
    Follow = 1,
}
