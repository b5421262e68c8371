namespace Oriel.Tdp;

/// <summary>RFD 37 message 28 <c>severity</c>. <see cref="Error"/> means the session is ending.</summary>
public enum Severity : byte
{
    Info = 0,
    Warning = 1,
    Error = 2,
}
