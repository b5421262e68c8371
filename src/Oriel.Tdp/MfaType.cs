namespace Oriel.Tdp;

/// <summary>RFD 37 message 10 <c>mfa_type</c>: an ASCII letter on the wire.</summary>
public enum MfaType : byte
{
    /// <summary>'n'.</summary>
    WebAuthn = (byte)'n',

    /// <summary>'u'.</summary>
    U2F = (byte)'u',
}
