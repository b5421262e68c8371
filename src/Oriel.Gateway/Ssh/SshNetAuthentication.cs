using System.Text;
using Microsoft.Extensions.Logging;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// The authentication methods of one connection attempt, from the vault's credentials and the user's prompter:
/// "publickey" when a private key is stored, "password" when a password is stored or the user may be asked for one
/// ("user@host's password: ", asked once), and "keyboard-interactive" (RFC 4256) answering prompts that ask for the
/// password (no echo, text containing "password") from the vault once, and everything else through the prompter.
/// A prompter that returns null (the user cancelled) ends authentication. The connect deadline does not run while the
/// user is asked (<see cref="SshNetConnectDeadline"/>).
/// </summary>
internal sealed class SshNetAuthentication : IDisposable
{
    private readonly SshConnectRequest _request;
    private readonly SshNetConnectDeadline _deadline;
    private readonly ILogger _logger;
    private readonly CancellationToken _ct;
    private readonly List<IDisposable> _owned = [];
    private int _vaultPasswordUsed;

    public SshNetAuthentication(SshConnectRequest request, SshNetConnectDeadline deadline, ILogger logger, CancellationToken ct)
    {
        _request = request;
        _deadline = deadline;
        _logger = logger;
        _ct = ct;
        Methods = Build();
    }

    /// <summary>The methods, in the order they are tried (among those the server allows).</summary>
    public IReadOnlyList<AuthenticationMethod> Methods { get; }

    /// <summary>The method that let the user in; null until then.</summary>
    public string? Succeeded { get; private set; }

    /// <summary>True when the user cancelled a prompt.</summary>
    public bool Cancelled { get; private set; }

    private string Endpoint => $"{_request.Host}:{_request.Port}";

    private List<AuthenticationMethod> Build()
    {
        var user = _request.Username;
        var credentials = _request.Credentials;
        var methods = new List<AuthenticationMethod>();
        if (!string.IsNullOrEmpty(credentials.PrivateKey))
        {
            var key = LoadKey(credentials.PrivateKey, credentials.PrivateKeyPassphrase);
            methods.Add(Track("publickey", () => new PrivateKeyAuthenticationMethod(user, key)));
        }
        if (credentials.Password is not null)
        {
            methods.Add(Track("password", () => new PasswordAuthenticationMethod(user, credentials.Password)));
        }
        else if (_request.Prompter is not null)
        {
            methods.Add(Track("password", () =>
            {
                var question = new SshAuthQuestion($"{user}@{_request.Host}'s password: ", Echo: false);
                var answers = Ask(new SshAuthPrompt("", "", [question]), "password");
                return answers is null ? null : new PasswordAuthenticationMethod(user, answers[0]);
            }));
        }
        if (credentials.Password is not null || _request.Prompter is not null)
        {
            methods.Add(Track("keyboard-interactive", () =>
            {
                var method = new KeyboardInteractiveAuthenticationMethod(user);
                method.AuthenticationPrompt += OnPrompt;
                return method;
            }));
        }
        return methods;
    }

    private SshNetAuthMethod Track(string name, Func<AuthenticationMethod?> create)
    {
        var method = new SshNetAuthMethod(name, _request.Username, create, succeeded => Succeeded = succeeded);
        _owned.Add(method);
        return method;
    }

    private SshNetKeySource LoadKey(string text, string? passphrase)
    {
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
            var file = string.IsNullOrEmpty(passphrase) ? new PrivateKeyFile(stream) : new PrivateKeyFile(stream, passphrase);
            var source = new SshNetKeySource(file);
            _owned.Add(source);
            return source;
        }
        catch (SshPassPhraseNullOrEmptyException e)
        {
            throw new SshFailure(SshFailureKind.AuthenticationFailed, "The stored private key is protected by a passphrase, and no passphrase is stored with it.", e);
        }
        catch (Exception e) when (e is SshException or ArgumentException or FormatException or System.Security.Cryptography.CryptographicException or InvalidOperationException or NotSupportedException)
        {
            throw new SshFailure(SshFailureKind.AuthenticationFailed, "The stored private key could not be read: the passphrase is wrong or the key's format is not supported.", e);
        }
    }

    /// <summary>
    /// Answers one keyboard-interactive round; runs on a thread SSH.NET starts for it. Throwing ends authentication
    /// (SSH.NET reports it from Connect).
    /// </summary>
    private void OnPrompt(object? sender, AuthenticationPromptEventArgs e)
    {
        var prompts = e.Prompts.OrderBy(p => p.Id).ToList();
        var password = _request.Credentials.Password;
        if (prompts.Count > 0 && password is not null
            && prompts.All(p => !p.IsEchoed && p.Request.Contains("password", StringComparison.OrdinalIgnoreCase))
            && Interlocked.Exchange(ref _vaultPasswordUsed, 1) == 0)
        {
            foreach (var prompt in prompts) prompt.Response = password;
            return;
        }
        if (prompts.Count == 0 && string.IsNullOrWhiteSpace(e.Instruction)) return; // nothing to show, nothing to answer
        if (_request.Prompter is null)
        {
            if (prompts.Count == 0) return;
            throw new SshAuthenticationException("The server asked a question and nobody may answer it.");
        }
        var question = new SshAuthPrompt("", e.Instruction ?? "", prompts.Select(p => new SshAuthQuestion(p.Request, p.IsEchoed)).ToList());
        var answers = Ask(question, "keyboard-interactive");
        if (answers is null) throw new SshAuthenticationException("The user cancelled the login.");
        if (answers.Count != prompts.Count) throw new SshAuthenticationException("The prompter gave a wrong number of answers.");
        for (var i = 0; i < prompts.Count; i++) prompts[i].Response = answers[i];
    }

    /// <summary>Asks the user through the prompter, with the connect deadline paused; null when cancelled.</summary>
    private IReadOnlyList<string>? Ask(SshAuthPrompt prompt, string purpose)
    {
        var prompter = _request.Prompter ?? throw new InvalidOperationException("no prompter");
        SshNetLog.Prompting(_logger, Endpoint, purpose);
        _deadline.Pause();
        try
        {
            var answers = prompter.AskAsync(prompt, _ct).AsTask().GetAwaiter().GetResult();
            if (answers is null) Cancelled = true;
            return answers;
        }
        catch (OperationCanceledException)
        {
            Cancelled = true;
            return null;
        }
        finally
        {
            _deadline.Resume();
        }
    }

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
        _owned.Clear();
    }
}
