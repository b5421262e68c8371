using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Security;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Cli;

public sealed partial class OrielCli
{
    private Command BuildUsers()
    {
        var users = new Command("users", "Manage local users");
        var name = new Argument<string>("username");
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input" };
        var file = new Option<string?>("--password-file") { Description = "Read the password from a file" };

        var admin = new Option<bool>("--admin") { Description = "Make the user an administrator" };
        var roles = new Option<string[]>("--role") { Description = "Grant a role (repeatable)", AllowMultipleArgumentsPerToken = false };
        var add = new Command("add", "Add a user; without a password one is generated and must be changed at first sign-in")
            { name, admin, roles, stdin, file };
        add.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            var password = await ReadSecretAsync(r.GetValue(stdin), r.GetValue(file), ct).ConfigureAwait(false);
            var (user, generated) = await sp.GetRequiredService<UserService>().CreateAsync(
                r.GetValue(name)!, password, r.GetValue(admin), r.GetValue(roles) ?? [], mustChangePassword: false, CliActor, ct: ct).ConfigureAwait(false);
            await _out.WriteLineAsync($"added user {user.Username}{(user.IsAdmin ? " (administrator)" : "")}").ConfigureAwait(false);
            if (generated is not null)
            {
                await _out.WriteLineAsync($"one-time password: {generated}  (must be changed at first sign-in)").ConfigureAwait(false);
            }

            return 0;
        }));
        users.Add(add);

        var list = new Command("list", "List users");
        list.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            await _out.WriteLineAsync("USERNAME\tADMIN\tROLES\tFLAGS").ConfigureAwait(false);
            foreach (var u in await sp.GetRequiredService<IOrielStore>().ListUsersAsync(ct).ConfigureAwait(false))
            {
                var flags = string.Join(",", new[] { u.MustChangePassword ? "must-change-password" : null, u.Declared ? "declared" : null }.OfType<string>());
                await _out.WriteLineAsync($"{u.Username}\t{(u.IsAdmin ? "yes" : "no")}\t{string.Join(",", u.Roles)}\t{flags}").ConfigureAwait(false);
            }

            return 0;
        }));
        users.Add(list);

        var remove = new Command("remove", "Remove a user and end their sign-in sessions") { name };
        remove.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            if (!await sp.GetRequiredService<UserService>().RemoveAsync(r.GetValue(name)!, CliActor, ct).ConfigureAwait(false))
            {
                throw new KeyNotFoundException($"no user named '{r.GetValue(name)}'");
            }

            await _out.WriteLineAsync($"removed user {r.GetValue(name)}").ConfigureAwait(false);
            return 0;
        }));
        users.Add(remove);

        var passwd = new Command("passwd", "Set a user's password (generated, and to be changed at next sign-in, unless given)") { name, stdin, file };
        passwd.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            var password = await ReadSecretAsync(r.GetValue(stdin), r.GetValue(file), ct).ConfigureAwait(false);
            var generated = await sp.GetRequiredService<UserService>().SetPasswordAsync(r.GetValue(name)!, password, mustChange: false, CliActor, ct)
                .ConfigureAwait(false);
            await _out.WriteLineAsync($"password of {r.GetValue(name)} set; their sign-in sessions were ended").ConfigureAwait(false);
            if (generated is not null)
            {
                await _out.WriteLineAsync($"one-time password: {generated}  (must be changed at next sign-in)").ConfigureAwait(false);
            }

            return 0;
        }));
        users.Add(passwd);

        var grantRoles = new Argument<string[]>("roles") { Arity = ArgumentArity.OneOrMore };
        var revoke = new Option<bool>("--revoke") { Description = "Remove the roles instead" };
        var grant = new Command("grant", "Grant roles to a user (or --revoke them)") { name, grantRoles, revoke };
        grant.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            var user = await sp.GetRequiredService<UserService>().GrantAsync(r.GetValue(name)!, r.GetValue(grantRoles)!, r.GetValue(revoke), CliActor, ct)
                .ConfigureAwait(false);
            await _out.WriteLineAsync($"{user.Username}: roles {string.Join(",", user.Roles)}").ConfigureAwait(false);
            return 0;
        }));
        users.Add(grant);

        var hash = new Command("hash", "Print a password hash for the configuration file's passwordHash (reads standard input)");
        hash.SetAction(async (r, ct) =>
        {
            var options = OptionsFrom(r);
            var password = await _in.ReadLineAsync(ct).ConfigureAwait(false);
            if (!PasswordPolicy.IsAcceptable(password, out var why))
            {
                await _err.WriteLineAsync("error: " + why).ConfigureAwait(false);
                return 1;
            }

            await _out.WriteLineAsync(new PasswordHasher(options.PasswordIterations).Hash(password!)).ConfigureAwait(false);
            return 0;
        });
        users.Add(hash);
        return users;
    }
}
