using System.Net;
using Microsoft.Data.Sqlite;
using Oriel.Gateway.Cli;

namespace Oriel.Gateway.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string _dir = TestGateway.NewDataDir();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private async Task<(int Code, string Out, string Err)> Run(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var cli = new OrielCli(output, error, new StringReader(stdin)) { ConfigureOptions = TestGateway.Configure };
        var code = await cli.InvokeAsync([.. args, "--data", _dir]);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Users_Add_List_Passwd_Grant_Remove()
    {
        var add = await Run("", "users", "add", "frank");
        Assert.Equal(0, add.Code);
        Assert.Contains("one-time password:", add.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await Run("", "roles", "add", "ops", "--label", "env=prod", "--clipboard", "both", "--max-sessions", "3")).Code);
        var grant = await Run("", "users", "grant", "frank", "ops");
        Assert.Equal(0, grant.Code);
        Assert.Contains("roles ops", grant.Out, StringComparison.Ordinal);
        Assert.NotEqual(0, (await Run("", "users", "grant", "frank", "no-such-role")).Code);

        Assert.Equal(0, (await Run("frank-new-password\n", "users", "passwd", "frank", "--password-stdin")).Code);
        Assert.NotEqual(0, (await Run("short\n", "users", "passwd", "frank", "--password-stdin")).Code);

        var list = await Run("", "users", "list");
        Assert.Contains("frank\tno\tops\t", list.Out, StringComparison.Ordinal);

        var dup = await Run("", "users", "add", "FRANK");
        Assert.Equal(1, dup.Code);
        Assert.Contains("already exists", dup.Err, StringComparison.Ordinal);

        Assert.Equal(0, (await Run("", "users", "remove", "frank")).Code);
        Assert.Equal(1, (await Run("", "users", "remove", "frank")).Code);
        Assert.DoesNotContain("frank", (await Run("", "users", "list")).Out, StringComparison.Ordinal);

        var roles = await Run("", "roles", "list");
        Assert.Contains("ops\t\tenv=prod\tboth\tyes\t3", roles.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Targets_Add_Show_List_Remove_WithPasswordFromStdin()
    {
        var pin = "sha256:" + new string('d', 64);
        var add = await Run("target-pw-XYZ\n", "targets", "add", "Desk One", "--host", "192.0.2.10", "--port", "5901", "--password-stdin",
            "--security", "x509vnc,vnc", "--tls-pin", pin, "--label", "env=dev", "--label", "team=a");
        Assert.Equal(0, add.Code);
        Assert.Contains("added target desk-one (vnc://192.0.2.10:5901)", add.Out, StringComparison.Ordinal);

        var show = await Run("", "targets", "show", "desk-one");
        Assert.Equal(0, show.Code);
        Assert.Contains("password:     set (encrypted)", show.Out, StringComparison.Ordinal);
        Assert.Contains("vnc security: x509vnc,vnc", show.Out, StringComparison.Ordinal);
        Assert.Contains("tls:          pinned " + pin, show.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("target-pw-XYZ", show.Out, StringComparison.Ordinal);

        Assert.Contains("desk-one\tDesk One\tvnc\t192.0.2.10:5901\tenv=dev,team=a", (await Run("", "targets", "list")).Out, StringComparison.Ordinal);

        var badSecurity = await Run("", "targets", "add", "X", "--host", "h", "--security", "bogus");
        Assert.Equal(1, badSecurity.Code);
        Assert.Contains("unknown VNC security type", badSecurity.Err, StringComparison.Ordinal);
        Assert.Equal(1, (await Run("", "targets", "add", "Y", "--host", "h", "--tls-pin", "sha256:abc")).Code);

        Assert.Equal(0, (await Run("", "targets", "remove", "desk-one")).Code);
        Assert.Equal(1, (await Run("", "targets", "show", "desk-one")).Code);

        var audit = await Run("", "audit", "list", "--since", "1h", "--kind", "admin.target.");
        Assert.Contains("admin.target.add\tcli\tdesk-one", audit.Out, StringComparison.Ordinal);
        Assert.Contains("admin.target.remove\tcli\tdesk-one", audit.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Targets_JpegQuality_IsStoredShownAndValidated()
    {
        Assert.Equal(0, (await Run("", "targets", "add", "Far Desk", "--host", "192.0.2.20", "--jpeg-quality", "7")).Code);
        Assert.Contains("images:       Tight JPEG quality 7", (await Run("", "targets", "show", "far-desk")).Out, StringComparison.Ordinal);
        Assert.Equal(0, (await Run("", "targets", "add", "Near Desk", "--host", "192.0.2.21")).Code);
        Assert.Contains("images:       lossless", (await Run("", "targets", "show", "near-desk")).Out, StringComparison.Ordinal);
        var bad = await Run("", "targets", "add", "Bad Desk", "--host", "192.0.2.22", "--jpeg-quality", "12");
        Assert.Equal(1, bad.Code);
        Assert.Contains("JPEG quality must be 0-9", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Targets_OfAProtocolWithoutSettings_ShowNone_AndRefuseVncOptions()
    {
        Assert.Equal(0, (await Run("", "targets", "add", "Windows Box", "--protocol", "rdp", "--host", "192.0.2.30")).Code);
        var shown = (await Run("", "targets", "show", "windows-box")).Out;
        Assert.Contains("protocol:     rdp", shown, StringComparison.Ordinal);
        Assert.Contains("settings:     none for rdp yet", shown, StringComparison.Ordinal);
        var bad = await Run("", "targets", "add", "Odd Box", "--protocol", "ssh", "--host", "192.0.2.31", "--username", "u", "--jpeg-quality", "4");
        Assert.Equal(1, bad.Code);
        Assert.Contains("are VNC settings; a ssh target takes none of them", bad.Err, StringComparison.Ordinal);
        var sshOnVnc = await Run("", "targets", "add", "Vnc Box", "--host", "192.0.2.32", "--host-key-pin", "SHA256:" + new string('A', 43));
        Assert.Equal(1, sshOnVnc.Code);
        Assert.Contains("are SSH settings; a vnc target takes none of them", sshOnVnc.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_ReportsTampering_WithExitCode3()
    {
        Assert.Equal(0, (await Run("", "users", "add", "gina")).Code);
        Assert.Equal(0, (await Run("", "users", "add", "hank")).Code);
        var ok = await Run("", "audit", "verify");
        Assert.Equal(0, ok.Code);
        Assert.Contains("audit chain intact: 2 events", ok.Out, StringComparison.Ordinal);

        await using (var c = new SqliteConnection($"Data Source={Path.Combine(_dir, "oriel.db")}"))
        {
            await c.OpenAsync();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE audit_events SET actor = 'someone-else' WHERE seq = 1;";
            await cmd.ExecuteNonQueryAsync();
        }

        var bad = await Run("", "audit", "verify");
        Assert.Equal(3, bad.Code);
        Assert.Contains("AUDIT CHAIN BROKEN at event 1", bad.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_StartsTheGateway_OnTheGivenUrl_AndPrintsFirstRunInstructions()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        HttpStatusCode? status = null;
        var cli = new OrielCli(output, error, new StringReader(""))
        {
            ConfigureOptions = TestGateway.Configure,
            OnServing = async app =>
            {
                using var http = new HttpClient { BaseAddress = app.BaseAddress };
                using var r = await http.GetAsync("/api/auth/csrf");
                status = r.StatusCode;
            },
        };
        var code = await cli.InvokeAsync(["serve", "--data", _dir, "--urls", "http://127.0.0.1:0", "--web-root", Path.Combine(_dir, "none")]);
        Assert.Equal(0, code);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Username:    admin", output.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "secret.key")));
        Assert.True(File.Exists(Path.Combine(_dir, "oriel.db")));
    }

    [Theory]
    [InlineData("24h", 24 * 60)]
    [InlineData("30m", 30)]
    [InlineData("7d", 7 * 24 * 60)]
    public void Since_AcceptsAges(string text, int minutes)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        Assert.Equal(now.AddMinutes(-minutes), OrielCli.ParseSince(text, now));
        Assert.Equal(DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture), OrielCli.ParseSince("2026-01-02T03:04:05Z", now));
        Assert.Throws<ArgumentException>(() => OrielCli.ParseSince("yesterday", now));
    }
}
