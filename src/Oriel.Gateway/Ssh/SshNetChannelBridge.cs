using System.Linq.Expressions;
using System.Reflection;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Messages;
using Renci.SshNet.Messages.Connection;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// The one place that reaches into SSH.NET's internals: its session channel (<c>IChannelSession</c>), the connected
/// <c>Session</c> of a client, and sending a message (a global request) on it. Built against SSH.NET
/// <see cref="PinnedVersion"/>; every member is looked up once, turned into a compiled delegate, and checked when the
/// bridge is first used, so a changed library fails at once with a sentence naming what is missing, not in the middle
/// of a session.
/// </summary>
/// <remarks>
/// Why the internal channel: SSH.NET's public <c>ShellStream</c> copies every byte the server sends into its own
/// unbounded buffer and has no exit status, and <c>Shell</c> has no window-change. The internal channel gives what a
/// terminal needs: pty-req with modes, shell, window-change, signal, the data events raised on the session's single
/// receive thread (holding that thread is how <see cref="SshNetTerminal"/> pushes back on the server: the socket is not
/// read, TCP's window closes, sshd stops), exit-status / exit-signal requests, and close. The public <c>Session</c>
/// events (ChannelDataReceived ...) would also do for reading, but opening the channel and sending its requests has no
/// public form, so the bridge would be needed anyway; keeping the channel's own events avoids parsing its messages a
/// second time. The data handed to the handlers lives in the receive buffer of SSH.NET and is copied before the
/// handler returns.
/// </remarks>
internal sealed class SshNetChannelBridge
{
    /// <summary>The SSH.NET release this bridge was written and tested against (a test pins it).</summary>
    public const string PinnedVersion = "2026.0.1";

    private static readonly Lazy<SshNetChannelBridge> s_instance = new(() => new SshNetChannelBridge(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Func<BaseClient, Session?> _session;
    private readonly Func<Session, object> _createChannelSession;
    private readonly Action<object> _open;
    private readonly Func<object, string, uint, uint, uint, uint, IDictionary<TerminalModes, uint>?, bool> _sendPseudoTerminal;
    private readonly Func<object, bool> _sendShell;
    private readonly Action<object, uint, uint, uint, uint> _sendWindowChange;
    private readonly Func<object, string, bool> _sendSignal;
    private readonly Action<object, byte[], int, int> _sendData;
    private readonly Action<object> _sendEof;
    private readonly Func<object, bool> _isOpen;
    private readonly Action<Session, Message> _sendMessage;
    private readonly Func<byte[], bool, Message> _newGlobalRequest;
    private readonly Func<Action<ArraySegment<byte>>, Delegate> _dataHandler;
    private readonly Func<Action<ArraySegment<byte>>, Delegate> _extendedDataHandler;
    private readonly Func<Action<RequestInfo>, Delegate> _requestHandler;
    private readonly Func<Action, Delegate> _closedHandler;
    private readonly Func<Action<Exception>, Delegate> _exceptionHandler;
    private readonly Func<RequestInfo, uint> _exitStatus;
    private readonly Func<RequestInfo, string?> _signalName;
    private readonly Func<RequestInfo, bool> _coreDumped;
    private readonly Func<RequestInfo, string?> _errorMessage;
    private readonly Type _exitStatusType;
    private readonly Type _exitSignalType;
    private readonly EventInfo _dataReceived;
    private readonly EventInfo _extendedDataReceived;
    private readonly EventInfo _requestReceived;
    private readonly EventInfo _closed;
    private readonly EventInfo _exception;

    private SshNetChannelBridge()
    {
        var assembly = typeof(SshClient).Assembly;
        var missing = new List<string>();
        T Need<T>(T? found, string what) where T : class
        {
            if (found is null) missing.Add(what);
            return found!;
        }

        const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;
        var iSession = Need(assembly.GetType("Renci.SshNet.ISession"), "ISession");
        var iChannel = Need(assembly.GetType("Renci.SshNet.Channels.IChannel"), "IChannel");
        var iChannelSession = Need(assembly.GetType("Renci.SshNet.Channels.IChannelSession"), "IChannelSession");
        var dataArgs = Need(assembly.GetType("Renci.SshNet.Common.ChannelDataEventArgs"), "ChannelDataEventArgs");
        var extendedArgs = Need(assembly.GetType("Renci.SshNet.Common.ChannelExtendedDataEventArgs"), "ChannelExtendedDataEventArgs");
        var requestArgs = Need(assembly.GetType("Renci.SshNet.Common.ChannelRequestEventArgs"), "ChannelRequestEventArgs");
        var channelArgs = Need(assembly.GetType("Renci.SshNet.Common.ChannelEventArgs"), "ChannelEventArgs");
        _exitStatusType = Need(assembly.GetType("Renci.SshNet.Messages.Connection.ExitStatusRequestInfo"), "ExitStatusRequestInfo");
        _exitSignalType = Need(assembly.GetType("Renci.SshNet.Messages.Connection.ExitSignalRequestInfo"), "ExitSignalRequestInfo");
        if (missing.Count > 0) throw Changed(missing);

        var sessionProperty = Need(typeof(BaseClient).GetProperty("Session", Any), "BaseClient.Session");
        var createChannel = Need(iSession.GetMethod("CreateChannelSession", Type.EmptyTypes), "ISession.CreateChannelSession()");
        var open = Need(iChannelSession.GetMethod("Open", Type.EmptyTypes), "IChannelSession.Open()");
        var pty = Need(iChannelSession.GetMethod("SendPseudoTerminalRequest",
            [typeof(string), typeof(uint), typeof(uint), typeof(uint), typeof(uint), typeof(IDictionary<TerminalModes, uint>)]), "SendPseudoTerminalRequest");
        var shell = Need(iChannelSession.GetMethod("SendShellRequest", Type.EmptyTypes), "SendShellRequest");
        var windowChange = Need(iChannelSession.GetMethod("SendWindowChangeRequest", [typeof(uint), typeof(uint), typeof(uint), typeof(uint)]), "SendWindowChangeRequest");
        var signal = Need(iChannelSession.GetMethod("SendSignalRequest", [typeof(string)]), "SendSignalRequest");
        var sendData = Need(iChannel.GetMethod("SendData", [typeof(byte[]), typeof(int), typeof(int)]), "IChannel.SendData(byte[], int, int)");
        var sendEof = Need(iChannel.GetMethod("SendEof", Type.EmptyTypes), "IChannel.SendEof()");
        var isOpen = Need(iChannel.GetProperty("IsOpen"), "IChannel.IsOpen");
        var sendMessage = Need(typeof(Session).GetMethod("SendMessage", Any, [typeof(Message)]), "Session.SendMessage(Message)");
        var globalRequest = Need(typeof(GlobalRequestMessage).GetConstructor(Any, [typeof(byte[]), typeof(bool)]), "GlobalRequestMessage(byte[], bool)");
        _dataReceived = Need(iChannel.GetEvent("DataReceived"), "IChannel.DataReceived");
        _extendedDataReceived = Need(iChannel.GetEvent("ExtendedDataReceived"), "IChannel.ExtendedDataReceived");
        _requestReceived = Need(iChannel.GetEvent("RequestReceived"), "IChannel.RequestReceived");
        _closed = Need(iChannel.GetEvent("Closed"), "IChannel.Closed");
        _exception = Need(iChannel.GetEvent("Exception"), "IChannel.Exception");
        var dataProperty = Need(dataArgs.GetProperty("Data"), "ChannelDataEventArgs.Data");
        var infoProperty = Need(requestArgs.GetProperty("Info"), "ChannelRequestEventArgs.Info");
        var exitStatus = Need(_exitStatusType.GetProperty("ExitStatus"), "ExitStatusRequestInfo.ExitStatus");
        var signalName = Need(_exitSignalType.GetProperty("SignalName"), "ExitSignalRequestInfo.SignalName");
        var coreDumped = Need(_exitSignalType.GetProperty("CoreDumped"), "ExitSignalRequestInfo.CoreDumped");
        var errorMessage = Need(_exitSignalType.GetProperty("ErrorMessage"), "ExitSignalRequestInfo.ErrorMessage");
        if (missing.Count > 0) throw Changed(missing);
        if (dataProperty.PropertyType != typeof(ArraySegment<byte>)) throw Changed(["ChannelDataEventArgs.Data as ArraySegment<byte>"]);

        var client = Expression.Parameter(typeof(BaseClient), "client");
        _session = Expression.Lambda<Func<BaseClient, Session?>>(
            Expression.TypeAs(Expression.Property(client, sessionProperty), typeof(Session)), client).Compile();

        var session = Expression.Parameter(typeof(Session), "session");
        _createChannelSession = Expression.Lambda<Func<Session, object>>(
            Expression.Convert(Expression.Call(Expression.Convert(session, iSession), createChannel), typeof(object)), session).Compile();

        var channel = Expression.Parameter(typeof(object), "channel");
        var asSession = Expression.Convert(channel, iChannelSession);
        var asChannel = Expression.Convert(channel, iChannel);
        _open = Expression.Lambda<Action<object>>(Expression.Call(asSession, open), channel).Compile();

        var term = Expression.Parameter(typeof(string), "term");
        var columns = Expression.Parameter(typeof(uint), "columns");
        var rows = Expression.Parameter(typeof(uint), "rows");
        var width = Expression.Parameter(typeof(uint), "width");
        var height = Expression.Parameter(typeof(uint), "height");
        var modes = Expression.Parameter(typeof(IDictionary<TerminalModes, uint>), "modes");
        _sendPseudoTerminal = Expression.Lambda<Func<object, string, uint, uint, uint, uint, IDictionary<TerminalModes, uint>?, bool>>(
            Expression.Call(asSession, pty, term, columns, rows, width, height, modes), channel, term, columns, rows, width, height, modes).Compile();
        _sendShell = Expression.Lambda<Func<object, bool>>(Expression.Call(asSession, shell), channel).Compile();
        _sendWindowChange = Expression.Lambda<Action<object, uint, uint, uint, uint>>(
            Expression.Call(asSession, windowChange, columns, rows, width, height), channel, columns, rows, width, height).Compile();
        var name = Expression.Parameter(typeof(string), "name");
        Expression signalCall = Expression.Call(asSession, signal, name);
        _sendSignal = Expression.Lambda<Func<object, string, bool>>(signalCall, channel, name).Compile();

        var bytes = Expression.Parameter(typeof(byte[]), "bytes");
        var offset = Expression.Parameter(typeof(int), "offset");
        var count = Expression.Parameter(typeof(int), "count");
        _sendData = Expression.Lambda<Action<object, byte[], int, int>>(Expression.Call(asChannel, sendData, bytes, offset, count), channel, bytes, offset, count).Compile();
        _sendEof = Expression.Lambda<Action<object>>(Expression.Call(asChannel, sendEof), channel).Compile();
        _isOpen = Expression.Lambda<Func<object, bool>>(Expression.Property(asChannel, isOpen), channel).Compile();

        var message = Expression.Parameter(typeof(Message), "message");
        _sendMessage = Expression.Lambda<Action<Session, Message>>(Expression.Call(session, sendMessage, message), session, message).Compile();
        var wantReply = Expression.Parameter(typeof(bool), "wantReply");
        _newGlobalRequest = Expression.Lambda<Func<byte[], bool, Message>>(
            Expression.Convert(Expression.New(globalRequest, bytes, wantReply), typeof(Message)), bytes, wantReply).Compile();

        _dataHandler = HandlerFactory<Action<ArraySegment<byte>>>(_dataReceived.EventHandlerType!, dataArgs, (action, e) => Expression.Invoke(action, Expression.Property(e, dataProperty)));
        _extendedDataHandler = HandlerFactory<Action<ArraySegment<byte>>>(_extendedDataReceived.EventHandlerType!, extendedArgs, (action, e) => Expression.Invoke(action, Expression.Property(e, dataProperty)));
        _requestHandler = HandlerFactory<Action<RequestInfo>>(_requestReceived.EventHandlerType!, requestArgs, (action, e) => Expression.Invoke(action, Expression.Property(e, infoProperty)));
        _closedHandler = HandlerFactory<Action>(_closed.EventHandlerType!, channelArgs, (action, _) => Expression.Invoke(action));
        _exceptionHandler = HandlerFactory<Action<Exception>>(_exception.EventHandlerType!, typeof(ExceptionEventArgs),
            (action, e) => Expression.Invoke(action, Expression.Property(e, nameof(ExceptionEventArgs.Exception))));

        var info = Expression.Parameter(typeof(RequestInfo), "info");
        _exitStatus = Expression.Lambda<Func<RequestInfo, uint>>(Expression.Property(Expression.Convert(info, _exitStatusType), exitStatus), info).Compile();
        _signalName = Expression.Lambda<Func<RequestInfo, string?>>(Expression.Property(Expression.Convert(info, _exitSignalType), signalName), info).Compile();
        _coreDumped = Expression.Lambda<Func<RequestInfo, bool>>(Expression.Property(Expression.Convert(info, _exitSignalType), coreDumped), info).Compile();
        _errorMessage = Expression.Lambda<Func<RequestInfo, string?>>(Expression.Property(Expression.Convert(info, _exitSignalType), errorMessage), info).Compile();
    }

    /// <summary>The bridge; throws <see cref="InvalidOperationException"/> naming the missing members when SSH.NET changed.</summary>
    public static SshNetChannelBridge Instance => s_instance.Value;

    /// <summary>The SSH.NET version loaded (its informational version, e.g. "2026.0.1+...").</summary>
    public static string LoadedVersion =>
        typeof(SshClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(SshClient).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The connected session of a client (null before it connects).</summary>
    public Session? SessionOf(BaseClient client) => _session(client);

    /// <summary>A new (not yet open) session channel on <paramref name="session"/>.</summary>
    public object CreateChannelSession(Session session) => _createChannelSession(session);

    /// <summary>Opens the channel; blocks until the server confirms (SSH.NET's own timeout applies).</summary>
    public void Open(object channel) => _open(channel);

    /// <summary>pty-req with want-reply; true when the server accepted.</summary>
    public bool SendPseudoTerminalRequest(object channel, string term, uint columns, uint rows, uint width, uint height, IDictionary<TerminalModes, uint>? modes) =>
        _sendPseudoTerminal(channel, term, columns, rows, width, height, modes);

    /// <summary>shell with want-reply; true when the server accepted.</summary>
    public bool SendShellRequest(object channel) => _sendShell(channel);

    /// <summary>window-change (no reply).</summary>
    public void SendWindowChangeRequest(object channel, uint columns, uint rows, uint width, uint height) =>
        _sendWindowChange(channel, columns, rows, width, height);

    /// <summary>signal (no reply).</summary>
    public void SendSignalRequest(object channel, string name) => _sendSignal(channel, name);

    /// <summary>Channel data; blocks while the server's window for the channel is closed (SSH.NET's timeout applies).</summary>
    public void SendData(object channel, byte[] data, int offset, int count) => _sendData(channel, data, offset, count);

    public void SendEof(object channel) => _sendEof(channel);

    public bool IsOpen(object channel) => _isOpen(channel);

    /// <summary>Sends a global request (RFC 4254 4) on the session.</summary>
    public void SendGlobalRequest(Session session, string name, bool wantReply) =>
        _sendMessage(session, _newGlobalRequest(System.Text.Encoding.ASCII.GetBytes(name), wantReply));

    /// <summary>Subscribes the channel's events; the returned action unsubscribes them.</summary>
    public Action Subscribe(object channel, Action<ArraySegment<byte>> data, Action<ArraySegment<byte>> extendedData,
        Action<RequestInfo> request, Action closed, Action<Exception> exception)
    {
        var handlers = new (EventInfo Event, Delegate Handler)[]
        {
            (_dataReceived, _dataHandler(data)),
            (_extendedDataReceived, _extendedDataHandler(extendedData)),
            (_requestReceived, _requestHandler(request)),
            (_closed, _closedHandler(closed)),
            (_exception, _exceptionHandler(exception)),
        };
        foreach (var (e, handler) in handlers) e.AddEventHandler(channel, handler);
        return () =>
        {
            foreach (var (e, handler) in handlers) e.RemoveEventHandler(channel, handler);
        };
    }

    /// <summary>Reads an exit-status or exit-signal channel request (RFC 4254 6.10); null for any other request.</summary>
    public SshExit? ExitOf(RequestInfo info)
    {
        var type = info.GetType();
        if (type == _exitStatusType) return new SshExit(unchecked((int)_exitStatus(info)), null, false, null);
        if (type == _exitSignalType) return new SshExit(null, _signalName(info) ?? "UNKNOWN", _coreDumped(info), NullIfEmpty(_errorMessage(info)));
        return null;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    /// <summary>
    /// Compiles, once, a factory turning an <typeparamref name="TAction"/> into a handler of the library's (internal)
    /// event type: <c>(sender, e) =&gt; action(selector(e))</c>.
    /// </summary>
    private static Func<TAction, Delegate> HandlerFactory<TAction>(Type handlerType, Type argsType, Func<ParameterExpression, ParameterExpression, Expression> body)
        where TAction : Delegate
    {
        var action = Expression.Parameter(typeof(TAction), "action");
        var sender = Expression.Parameter(typeof(object), "sender");
        var e = Expression.Parameter(argsType, "e");
        var handler = Expression.Lambda(handlerType, body(action, e), sender, e);
        return Expression.Lambda<Func<TAction, Delegate>>(Expression.Convert(handler, typeof(Delegate)), action).Compile();
    }

    private static InvalidOperationException Changed(IEnumerable<string> missing) => new(
        $"SSH.NET {LoadedVersion} lacks members Oriel's SSH terminal uses ({string.Join(", ", missing)}); " +
        $"Oriel is built against SSH.NET {PinnedVersion}. Keep that version, or update SshNetChannelBridge.");
}
