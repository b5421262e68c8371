using System.Text;

namespace Oriel.TestPeers;

/// <summary>What a finished command produced.</summary>
public sealed class ProcessResult
{
    public ProcessResult(string command, int exitCode, byte[] standardOutput, string standardError)
    {
        Command = command;
        ExitCode = exitCode;
        StandardOutput = standardOutput;
        StandardError = standardError;
    }

    /// <summary>The command line, for messages.</summary>
    public string Command { get; }

    public int ExitCode { get; }

    /// <summary>Everything written to stdout, as bytes (xwd and vncpasswd write binary).</summary>
    public byte[] StandardOutput { get; }

    /// <summary>Stdout decoded as UTF-8.</summary>
    public string StandardOutputText => Encoding.UTF8.GetString(StandardOutput);

    public string StandardError { get; }

    /// <summary>Throws with the command's stderr unless it exited with 0; returns this result.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"`{Command}` exited with code {ExitCode}:\n{StandardError}{(StandardError.Length == 0 ? StandardOutputText : "")}");
        }
        return this;
    }
}
