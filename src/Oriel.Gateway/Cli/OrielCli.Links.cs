using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Links;

namespace Oriel.Gateway.Cli;

public sealed partial class OrielCli
{
    private Command BuildLinks()
    {
        var links = new Command("links", "Web Desktop links: signed, single-use, short-lived links that open a desktop for a user");
        var user = new Option<string>("--user") { Description = "The username the link signs in", Required = true };
        var target = new Option<string>("--target") { Description = "The target id the link opens", Required = true };
        var viewer = new Option<string>("--viewer") { Description = "builtin (the default) or novnc", DefaultValueFactory = _ => LinkViewers.BuiltinName };
        var ttl = new Option<int>("--ttl") { Description = "Seconds the link stays valid (10..600)", DefaultValueFactory = _ => 120 };
        var baseUrl = new Option<string?>("--base-url")
        {
            Description = "The gateway's address as users reach it; default: the configuration file's first publicUrls entry, else " + GatewayOptions.DefaultUrl,
        };
        var create = new Command("create", "Make a link and print its URL (standard output: the URL only)") { user, target, viewer, ttl, baseUrl };
        create.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            if (!LinkViewers.TryParse(r.GetValue(viewer), out var v))
            {
                throw new ArgumentException("--viewer must be builtin or novnc");
            }

            var options = sp.GetRequiredService<GatewayOptions>();
            var service = ActivatorUtilities.CreateInstance<LinkService>(
                sp, new LinkTokenCodec(LinkSigningKey.FromSecretKeyFile(options.SecretKeyPath)), new DesktopLinkOptions());
            var link = await service.CreateAsync(r.GetValue(user)!, r.GetValue(target)!, v.Value, TimeSpan.FromSeconds(r.GetValue(ttl)), CliActor, null, ct)
                .ConfigureAwait(false);
            await _out.WriteLineAsync(link.UrlUnder(r.GetValue(baseUrl) ?? DefaultBaseUrl(options))).ConfigureAwait(false);
            await _err.WriteLineAsync(
                $"link for {link.UserName} to {link.TargetId} ({LinkViewers.Name(link.Viewer)}), single use, valid until " +
                link.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)).ConfigureAwait(false);
            return 0;
        }));
        links.Add(create);
        return links;
    }

    private static string DefaultBaseUrl(GatewayOptions options)
    {
        if (options.PublicUrls.Count > 0)
        {
            return options.PublicUrls[0];
        }

        return options.ResolveConfigFile() is { } path && OrielConfigFile.Load(path).PublicUrls is { Count: > 0 } urls ? urls[0] : GatewayOptions.DefaultUrl;
    }
}
