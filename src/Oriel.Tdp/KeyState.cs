namespace Oriel.Tdp;

/// <summary>RFD 37 message 5 and Oriel message 105 <c>state</c>.</summary>
public enum KeyState : byte
{
    Released = 0,
    Pressed = 1,
}
