namespace Oriel.Testing.Fuzzing;

/// <summary>
/// A fuzz target saw a decoder break a rule that does not show as an exception of its own: an allocation
/// over the target's budget, a decoder consuming more bytes than it was given, a message that does not
/// re-encode to its own bytes.
/// </summary>
public sealed class FuzzFindingException : Exception
{
    public FuzzFindingException()
    {
    }

    public FuzzFindingException(string message)
        : base(message)
    {
    }

    public FuzzFindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
