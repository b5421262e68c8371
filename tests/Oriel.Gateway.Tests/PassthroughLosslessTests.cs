using Oriel.Gateway.Cli;
using Oriel.Gateway.Storage;
using Oriel.TestPeers;

namespace Oriel.Gateway.Tests;

/// <summary>
/// Passthrough honours the JPEG quality level noVNC asks for, unless the operator made the target lossless
/// (<c>oriel targets add … --passthrough-lossless</c>): then the server never hears a quality level, so it has
/// none to send Tight JPEG at (docs/passthrough.md). Checked on what the VNC server actually receives.
/// </summary>
public sealed class PassthroughLosslessTests
{
    /// <summary>noVNC 1.7.0's SetEncodings (quality 6 = -26, compression 2; see tests/Oriel.Rfb.Tests/Filter).</summary>
    private static readonly byte[] NoVncSetEncodings = Convert.FromHexString((
        "02000018 00000001 00000007 fffffefc 00000010 00000015 00000005 00000002 00000006 00000000 ffffffe6 ffffff02 " +
        "ffffff21 ffffff20 fffffefe fffffefb fffffecc fffffecb fffffec8 fffffec7 fffffecd c0a1e5ce fffffec4 574d5664 ffffff11")
        .Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    public async Task TheViewersQualityLevelReachesTheServer_UnlessTheTargetIsPassthroughLossless()
    {
        await using var server = ScriptedVncServer.Start(Misbehavior.WellBehaved);
        await using var gw = await TestGateway.StartAsync();
        using var admin = await gw.AdminClientAsync();
        foreach (var (id, lossless) in new[] { ("honoured", false), ("exact", true) })
        {
            string[] args = ["targets", "add", id, "--id", id, "--host", "127.0.0.1", "--port", $"{server.Port}", "--security", "none", "--data", gw.DataDir];
            var cli = new OrielCli(TextWriter.Null, TextWriter.Null, TextReader.Null) { ConfigureOptions = TestGateway.Configure };
            Assert.Equal(0, await cli.InvokeAsync(lossless ? [.. args, "--passthrough-lossless"] : args));
            Assert.Equal(lossless, Assert.IsType<VncTargetSettings>((await gw.Get<IOrielStore>().FindTargetAsync(id))!.Settings).PassthroughLossless);
        }

        await RawPassthroughViewer.RunAsync(gw, admin, "honoured", NoVncSetEncodings);
        var honoured = server.LastEncodings!;
        Assert.Contains(-26, honoured); // quality level 6: the server may send Tight JPEG

        await RawPassthroughViewer.RunAsync(gw, admin, "exact", NoVncSetEncodings);
        var exact = server.LastEncodings!;
        Assert.DoesNotContain(exact, e => e is >= -32 and <= -23);
        Assert.Equal(honoured.Where(e => e != -26), exact); // nothing else differs: Tight, ZRLE, the compression level...
        Assert.Contains(7, exact);
    }

    [Fact]
    public async Task TargetsShowSaysWhichPassthroughPictureATargetGives()
    {
        var dir = TestGateway.NewDataDir();
        try
        {
            async Task<string> Run(params string[] args)
            {
                using var output = new StringWriter();
                var cli = new OrielCli(output, TextWriter.Null, TextReader.Null) { ConfigureOptions = TestGateway.Configure };
                Assert.Equal(0, await cli.InvokeAsync([.. args, "--data", dir]));
                return output.ToString();
            }

            await Run("targets", "add", "Exact", "--host", "10.0.0.5", "--passthrough-lossless");
            await Run("targets", "add", "Honoured", "--host", "10.0.0.6");
            Assert.Contains("passthrough:  lossless", await Run("targets", "show", "exact"), StringComparison.Ordinal);
            Assert.Contains("passthrough:  the viewer's encodings", await Run("targets", "show", "honoured"), StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
