using System.Globalization;
using Oriel.TestPeers;

namespace Oriel.Bench.Desktop;

/// <summary>
/// The workload both sides see: a fresh Xvnc (depth 24, SecurityTypes None) and, once the client
/// is connected, a full-screen xterm running scroll.py, which prints deterministic numbered lines
/// at a steady, bounded rate. The font is DejaVu Sans Mono 10 (an 8×17 cell; the only fonts on
/// this machine are TrueType), so 239×63 cells fill 1920×1080.
/// </summary>
internal sealed class ScrollWorkload : IAsyncDisposable
{
    private const int CellWidth = 8;
    private const int CellHeight = 17;
    private const int Border = 2;

    private readonly BenchOptions _options;
    private ManagedProcess? _xterm;

    private ScrollWorkload(BenchOptions options, XvncServer server)
    {
        _options = options;
        Server = server;
    }

    public XvncServer Server { get; }

    /// <summary>The xterm (and the script it runs), once scrolling.</summary>
    public ManagedProcess? Xterm => _xterm;

    public static async Task<ScrollWorkload> StartAsync(BenchOptions options)
    {
        var server = await XvncServer.StartAsync(new XvncOptions
        {
            Width = options.Width,
            Height = options.Height,
            Depth = 24,
            Security = [XvncSecurity.None],
            DesktopName = "oriel-bench",
        }).ConfigureAwait(false);
        try
        {
            await server.RunXCommandAsync("xsetroot", "-solid", "#202020").ConfigureAwait(false);
            return new ScrollWorkload(options, server);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the full-screen xterm and the scroll script.</summary>
    public async Task StartScrollingAsync()
    {
        if (_xterm is not null) throw new InvalidOperationException("already scrolling");
        var script = Path.Combine(Server.WorkDirectory, "scroll.py");
        await using (var resource = typeof(ScrollWorkload).Assembly.GetManifestResourceStream("Oriel.Bench.Desktop.scroll.py")
            ?? throw new InvalidOperationException("scroll.py is not embedded"))
        await using (var file = File.Create(script))
        {
            await resource.CopyToAsync(file).ConfigureAwait(false);
        }
        var columns = (_options.Width - 2 * Border) / CellWidth;
        var rows = (_options.Height - 2 * Border) / CellHeight;
        var inv = CultureInfo.InvariantCulture;
        _xterm = await Server.RunXClientAsync(
            "xterm",
            "-fa", "DejaVu Sans Mono", "-fs", "10",
            "-geometry", string.Create(inv, $"{columns}x{rows}+0+0"),
            "-bg", "black", "-fg", "#d0d0d0",
            "+sb", "-bw", "0",
            "-e", "python3", "-u", script,
            _options.LinesPerSecond.ToString(inv), columns.ToString(inv)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // The server stops its X clients (the xterm) first.
        await Server.DisposeAsync().ConfigureAwait(false);
    }
}
