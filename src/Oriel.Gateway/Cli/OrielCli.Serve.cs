using System.CommandLine;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Hosting;

namespace Oriel.Gateway.Cli;

public sealed partial class OrielCli
{
    private readonly Option<string> _urls = new("--urls")
    {
        Description = "Listen address(es), ';'-separated (default " + GatewayOptions.DefaultUrl + ")",
        DefaultValueFactory = _ => GatewayOptions.DefaultUrl,
    };

    private readonly Option<string?> _config = new("--config")
    {
        Description = "Configuration file to apply at start (default DATA/oriel.json when present)",
    };

    private readonly Option<string?> _webRoot = new("--web-root")
    {
        Description = "Directory of the built web client (default: search for web/dist)",
    };

    private async Task<int> ServeAsync(ParseResult r, CancellationToken ct)
    {
        var options = OptionsFrom(r);
        options.Urls = (r.GetValue(_urls) ?? GatewayOptions.DefaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        options.ConfigFile = r.GetValue(_config) ?? options.ConfigFile;
        options.WebRoot = r.GetValue(_webRoot) ?? options.WebRoot;
        try
        {
            await using var app = GatewayHost.Build(GatewayHost.CreateBuilder(options));
            await app.StartAsync(ct).ConfigureAwait(false);
            if (OnServing is not null)
            {
                await OnServing(app).ConfigureAwait(false);
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
            }

            return 0;
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or ArgumentException or Storage.StoreConflictException)
        {
            await _err.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return 1;
        }
    }
}
