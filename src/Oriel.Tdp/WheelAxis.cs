namespace Oriel.Tdp;

/// <summary>RFD 37 message 8 <c>axis</c>.</summary>
public enum WheelAxis : byte
{
    Vertical = 0,
    Horizontal = 1,
}
