namespace Oriel.TestPeers;

/// <summary>How to start an <see cref="XvncServer"/>.</summary>
public sealed record XvncOptions
{
    public int Width { get; init; } = 1024;
    public int Height { get; init; } = 768;

    /// <summary>Colour depth of the X screen (24 gives 32 bits per pixel).</summary>
    public int Depth { get; init; } = 24;

    /// <summary>Offered security types, in Xvnc's order of preference.</summary>
    public IReadOnlyList<XvncSecurity> Security { get; init; } = [XvncSecurity.None];

    /// <summary>The VNC password (8 characters at most are used), for the *Vnc types.</summary>
    public string VncPassword { get; init; } = "secret12";

    /// <summary>The Unix user allowed by the *Plain types; it is created with <see cref="PlainPassword"/>.</summary>
    public string PlainUser { get; init; } = TestUnixUser.DefaultName;

    /// <summary>The Unix user's password; by default this run's random <see cref="TestUnixUser.Password"/> (read only when used).</summary>
    public string PlainPassword
    {
        get => _plainPassword ?? TestUnixUser.Password;
        init => _plainPassword = value;
    }

    private readonly string? _plainPassword;

    /// <summary>The desktop name sent in ServerInit.</summary>
    public string DesktopName { get; init; } = "oriel-test";

    /// <summary>More Xvnc arguments, e.g. <c>-FrameRate=30</c>.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
