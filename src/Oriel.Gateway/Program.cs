// The `oriel` executable: see Cli/OrielCli.cs for the commands; `oriel` alone serves.
return await Oriel.Gateway.Cli.OrielCli.RunAsync(args).ConfigureAwait(false);
