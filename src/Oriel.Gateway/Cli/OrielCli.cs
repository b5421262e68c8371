using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Cli;

/// <summary>
/// The <c>oriel</c> command line: <c>serve</c> (the default), <c>users</c>, <c>roles</c>, <c>targets</c>,
/// <c>audit</c>. Every command takes <c>--data DIR</c>. Commands other than serve open the database directly
/// (safe while a gateway runs: SQLite WAL with a busy timeout). Split by command group into partial files.
/// </summary>
public sealed partial class OrielCli
{
    internal const string CliActor = "cli";

    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly TextReader _in;

    private readonly Option<string> _data = new("--data")
    {
        Description = "Data directory (database, secret.key, oriel.json)",
        DefaultValueFactory = _ => "data",
        Recursive = true,
    };

    public OrielCli(TextWriter output, TextWriter error, TextReader input)
    {
        _out = output;
        _err = error;
        _in = input;
    }

    /// <summary>Test hook: adjusts options (PBKDF2 iterations, URLs, clock) before anything runs.</summary>
    internal Action<GatewayOptions>? ConfigureOptions { get; set; }

    /// <summary>Test hook: called with the started gateway of <c>serve</c>; the command returns when the task completes.</summary>
    internal Func<GatewayApp, Task>? OnServing { get; set; }

    public static Task<int> RunAsync(string[] args) => new OrielCli(Console.Out, Console.Error, Console.In).InvokeAsync(args);

    public async Task<int> InvokeAsync(string[] args, CancellationToken ct = default)
    {
        var root = BuildCommand();
        var config = new InvocationConfiguration { Output = _out, Error = _err };
        return await root.Parse(args).InvokeAsync(config, ct).ConfigureAwait(false);
    }

    public RootCommand BuildCommand()
    {
        var root = new RootCommand("Oriel: a browser gateway to remote machines") { _data, _urls, _config, _webRoot };
        root.SetAction(ServeAsync);
        var serve = new Command("serve", "Serve the web UI and API (the default command)") { _urls, _config, _webRoot };
        serve.SetAction(ServeAsync);
        root.Add(serve);
        root.Add(BuildUsers());
        root.Add(BuildRoles());
        root.Add(BuildTargets());
        root.Add(BuildAudit());
        root.Add(BuildLinks());
        root.Add(BuildApiKeys());
        root.Add(BuildRecordings());
        return root;
    }

    private GatewayOptions OptionsFrom(ParseResult r)
    {
        var options = new GatewayOptions { DataDirectory = r.GetValue(_data) ?? "data", Output = _out };
        ConfigureOptions?.Invoke(options);
        return options;
    }

    /// <summary>Opens the services over the data directory and migrates the database.</summary>
    private async Task<ServiceProvider> OpenAsync(ParseResult r, CancellationToken ct)
    {
        var options = OptionsFrom(r);
        var services = new ServiceCollection().AddOrielCore(options).BuildServiceProvider();
        try
        {
            await GatewayApp.PrepareAsync(services, applyConfigFile: false, ct).ConfigureAwait(false);
            return services;
        }
        catch
        {
            await services.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a command body over opened services, turning expected failures into "error: ..." and exit code 1.</summary>
    private async Task<int> RunAsync(ParseResult r, CancellationToken ct, Func<IServiceProvider, Task<int>> body)
    {
        try
        {
            await using var services = await OpenAsync(r, ct).ConfigureAwait(false);
            return await body(services).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or StoreConflictException or KeyNotFoundException or InvalidDataException or IOException)
        {
            await _err.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Reads a secret from stdin (first line) or a file (trailing newline removed); null when neither was asked.</summary>
    private Task<string?> ReadSecretAsync(bool fromStdin, string? file, CancellationToken ct) =>
        ReadSecretAsync(fromStdin, file, "password", "--password-stdin", "--password-file", ct);

    /// <summary>A one-line secret from the first line of standard input or from a file (trailing newline removed); null when neither is asked for.</summary>
    private async Task<string?> ReadSecretAsync(bool fromStdin, string? file, string what, string stdinOption, string fileOption, CancellationToken ct)
    {
        if (fromStdin && file is not null)
        {
            throw new ArgumentException($"use either {stdinOption} or {fileOption}");
        }

        string? secret = null;
        if (fromStdin)
        {
            secret = await _in.ReadLineAsync(ct).ConfigureAwait(false);
        }
        else if (file is not null)
        {
            secret = (await File.ReadAllTextAsync(file, ct).ConfigureAwait(false)).TrimEnd('\r', '\n');
        }

        if ((fromStdin || file is not null) && string.IsNullOrEmpty(secret))
        {
            throw new ArgumentException($"the {what} read is empty");
        }

        return secret;
    }
}
