using Renci.SshNet;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// An SSH.NET authentication method run through Oriel's code: it builds the library's own method when it is tried
/// (so a password the user types is asked for only when the server gets that far), passes on the methods the server
/// still allows, and tells <see cref="SshNetAuthentication"/> which method let the user in.
/// </summary>
internal sealed class SshNetAuthMethod : AuthenticationMethod
{
    private readonly Func<AuthenticationMethod?> _create;
    private readonly Action<string> _succeeded;
    private readonly List<AuthenticationMethod> _created = [];

    /// <param name="name">The method's name on the wire: "publickey", "password", "keyboard-interactive".</param>
    /// <param name="username">The login.</param>
    /// <param name="create">Builds the library's method; null when it cannot be tried (the user cancelled a prompt).</param>
    /// <param name="succeeded">Told the method's name when the server accepted it.</param>
    public SshNetAuthMethod(string name, string username, Func<AuthenticationMethod?> create, Action<string> succeeded)
        : base(username)
    {
        Name = name;
        _create = create;
        _succeeded = succeeded;
        AllowedAuthentications = [];
    }

    public override string Name { get; }

    public override AuthenticationResult Authenticate(Session session)
    {
        var inner = _create();
        if (inner is null)
        {
            AllowedAuthentications = [];
            return AuthenticationResult.Failure;
        }
        _created.Add(inner);
        var result = inner.Authenticate(session);
        AllowedAuthentications = inner.AllowedAuthentications ?? [];
        if (result == AuthenticationResult.Success) _succeeded(Name);
        return result;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var method in _created) method.Dispose();
            _created.Clear();
        }
        base.Dispose(disposing);
    }
}
