namespace Oriel.Gateway.Sessions;

/// <summary>
/// What a protocol's rendered session shows the browser: a desktop (images on a <see cref="Desktop.DesktopSurface"/>)
/// or a terminal (TDP terminal messages 108-112). Observers that depend on it (the recorder: TDP or asciicast; the
/// live view) ask the adapter (<see cref="IProtocolAdapter.Medium"/>), never the protocol's name.
/// </summary>
public enum SessionMedium
{
    Desktop,
    Terminal,
}
