namespace Oriel.Gateway.Ssh;

/// <summary>Where an answer typed at a terminal prompt is (<see cref="SshPromptLine"/>).</summary>
internal enum SshPromptLineStatus
{
    /// <summary>Still being typed.</summary>
    Reading,

    /// <summary>Enter was pressed: the answer is complete.</summary>
    Done,

    /// <summary>Ctrl-C or Ctrl-D: the user gave up.</summary>
    Cancelled,
}
