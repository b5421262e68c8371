namespace Oriel.Tdp;

/// <summary>RFD 37 message 4 <c>button</c>.</summary>
public enum MouseButton : byte
{
    Left = 0,
    Middle = 1,
    Right = 2,
}
