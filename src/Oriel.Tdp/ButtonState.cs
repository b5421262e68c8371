namespace Oriel.Tdp;

/// <summary>RFD 37 message 4 <c>state</c>.</summary>
public enum ButtonState : byte
{
    Released = 0,
    Pressed = 1,
}
