using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Oriel.Gateway.ApiKeys;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Cli;

public sealed partial class OrielCli
{
    private Command BuildApiKeys()
    {
        var apikeys = new Command("apikeys", "API keys: bearer credentials for server-to-server calls (a portal making Web Desktop links)");
        var name = new Option<string>("--name") { Description = "What the key is for, e.g. portal (unique among live keys)", Required = true };
        var user = new Option<string>("--user") { Description = "The user the key authenticates as", Required = true };
        var expires = new Option<string?>("--expires") { Description = "Lifetime: <n>d or <n>h (e.g. 90d); default: never" };
        var create = new Command("create", "Make a key and print its secret, once (standard output: the secret only)") { name, user, expires };
        create.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            var lifetime = ParseLifetime(r.GetValue(expires));
            var (key, secret) = await KeyService(sp).CreateAsync(r.GetValue(name)!, r.GetValue(user)!, lifetime, CliActor, ct)
                .ConfigureAwait(false);
            await _out.WriteLineAsync(secret).ConfigureAwait(false);
            var until = key.ExpiresAt is { } e ? "until " + e.ToString("O", CultureInfo.InvariantCulture) : "with no expiry";
            await _err.WriteLineAsync(
                $"API key {key.Id} ({key.Name}) for {r.GetValue(user)}, valid {until}. The secret is shown this once: store it now.")
                .ConfigureAwait(false);
            var owner = await sp.GetRequiredService<IOrielStore>().FindUserByIdAsync(key.UserId, ct).ConfigureAwait(false);
            if (owner?.IsAdmin == true)
            {
                await _err.WriteLineAsync("warning: the user is an administrator, so the key has every administrator right over the API.").ConfigureAwait(false);
            }

            return 0;
        }));
        apikeys.Add(create);

        var list = new Command("list", "List keys (never their secrets)");
        list.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            var store = sp.GetRequiredService<IOrielStore>();
            var users = (await store.ListUsersAsync(ct).ConfigureAwait(false)).ToDictionary(u => u.Id, u => u.Username, StringComparer.Ordinal);
            var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
            await _out.WriteLineAsync("ID\tNAME\tUSER\tKEY\tCREATED\tEXPIRES\tLAST-USED\tSTATE").ConfigureAwait(false);
            foreach (var k in await KeyService(sp).ListAsync(ct).ConfigureAwait(false))
            {
                var state = k.IsRevoked ? "revoked" : k.IsExpired(now) ? "expired" : "active";
                await _out.WriteLineAsync(
                    $"{k.Id}\t{k.Name}\t{users.GetValueOrDefault(k.UserId, k.UserId)}\t{ApiKeySecret.Display(k)}\t{Time(k.CreatedAt)}\t{Time(k.ExpiresAt) ?? "never"}\t{Time(k.LastUsedAt) ?? "-"}\t{state}")
                    .ConfigureAwait(false);
            }

            return 0;
        }));
        apikeys.Add(list);

        var which = new Argument<string>("key") { Description = "The key's id (ak_…) or the name of a live key" };
        var revoke = new Command("revoke", "Revoke a key; it stops working at once") { which };
        revoke.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            var key = await KeyService(sp).RevokeAsync(r.GetValue(which)!, CliActor, ct).ConfigureAwait(false);
            await _out.WriteLineAsync($"revoked API key {key.Id} ({key.Name})").ConfigureAwait(false);
            return 0;
        }));
        apikeys.Add(revoke);
        return apikeys;
    }

    /// <summary>The CLI's services are the core ones only (no web host): make the key service over them.</summary>
    private static ApiKeyService KeyService(IServiceProvider sp) =>
        sp.GetService<ApiKeyService>() ?? ActivatorUtilities.CreateInstance<ApiKeyService>(sp, ActivatorUtilities.CreateInstance<ApiKeyThrottle>(sp));

    /// <summary>"90d", "12h" or "never" (null); anything else is an <see cref="ArgumentException"/>.</summary>
    internal static TimeSpan? ParseLifetime(string? text)
    {
        if (string.IsNullOrEmpty(text) || text == "never")
        {
            return null;
        }

        if (text.Length >= 2 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            switch (text[^1])
            {
                case 'd': return TimeSpan.FromDays(n);
                case 'h': return TimeSpan.FromHours(n);
            }
        }

        throw new ArgumentException($"--expires must be <n>d, <n>h or never (got '{text}')");
    }

    private static string? Time(DateTimeOffset? t) => t?.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
}
