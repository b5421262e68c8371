using System.Text.Json;
using Oriel.Tdp;

namespace Oriel.Testing;

/// <summary>
/// tests/vectors/tdp.json, shared with web/test/tdp/codec.test.ts. Fields use the camelCase names of
/// docs/tdp.md; byte payloads are hex strings.
/// </summary>
public static class TdpVectors
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "tdp.json"))));

    /// <summary>The "valid" vectors of the tdp.json at <paramref name="path"/> (the fuzzer's seeds), with their names.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> ValidBytesIn(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.GetProperty("valid").EnumerateArray().Select(v => (v.GetProperty("name").GetString()!, Bytes(v)))];
    }

    public static IEnumerable<JsonElement> Valid => Document.Value.RootElement.GetProperty("valid").EnumerateArray();

    public static IEnumerable<JsonElement> Invalid => Document.Value.RootElement.GetProperty("invalid").EnumerateArray();

    public static JsonElement ValidNamed(string name) => Valid.Single(v => v.GetProperty("name").GetString() == name);

    public static JsonElement InvalidNamed(string name) => Invalid.Single(v => v.GetProperty("name").GetString() == name);

    public static byte[] Bytes(JsonElement vector) => Convert.FromHexString(vector.GetProperty("hex").GetString()!);

    public static bool Streamable(JsonElement vector) =>
        !vector.TryGetProperty("stream", out var s) || s.GetBoolean();

    /// <summary>The vector's "message" object as the record it describes.</summary>
    public static TdpMessage Message(JsonElement vector)
    {
        var m = vector.GetProperty("message");
        uint U(string n) => m.GetProperty(n).GetUInt32();
        ushort U16(string n) => m.GetProperty(n).GetUInt16();
        byte E(string n) => m.GetProperty(n).GetByte();
        string S(string n) => m.GetProperty(n).GetString()!;
        byte[] B(string n) => Convert.FromHexString(S(n));
        return (TdpMessageType)m.GetProperty("type").GetByte() switch
        {
            TdpMessageType.ClientScreenSpec => new ClientScreenSpecMessage(U("width"), U("height")),
            TdpMessageType.PngFrame => new PngFrameMessage(U("left"), U("top"), U("right"), U("bottom"), B("data")),
            TdpMessageType.MouseMove => new MouseMoveMessage(U("x"), U("y")),
            TdpMessageType.MouseButton => new MouseButtonMessage((MouseButton)E("button"), (ButtonState)E("state")),
            TdpMessageType.KeyboardInput => new KeyboardInputMessage(U("keyCode"), (KeyState)E("state")),
            TdpMessageType.ClipboardData => new ClipboardDataMessage(B("data")),
            TdpMessageType.ClientUsername => new ClientUsernameMessage(S("username")),
            TdpMessageType.MouseWheel => new MouseWheelMessage((WheelAxis)E("axis"), m.GetProperty("delta").GetInt16()),
            TdpMessageType.Error => new ErrorMessage(S("message")),
            TdpMessageType.Mfa => new MfaMessage((MfaType)(byte)S("mfaType").Single(), S("json")),
            TdpMessageType.PngFrame2 => new PngFrame2Message(U("left"), U("top"), U("right"), U("bottom"), B("data")),
            TdpMessageType.Notification => new NotificationMessage(S("message"), (Severity)E("severity")),
            TdpMessageType.FrameMarker => new FrameMarkerMessage(U("frameId")),
            TdpMessageType.FrameAck => new FrameAckMessage(U("frameId")),
            TdpMessageType.CursorShape => new CursorShapeMessage(U16("hotspotX"), U16("hotspotY"), U16("width"), U16("height"), B("rgba")),
            TdpMessageType.DesktopSize => new DesktopSizeMessage(U("width"), U("height")),
            TdpMessageType.CopyRect => new CopyRectMessage(U("srcLeft"), U("srcTop"), U("width"), U("height"), U("dstLeft"), U("dstTop")),
            TdpMessageType.KeysymInput => new KeysymInputMessage(U("keysym"), U("keyCode"), (KeyState)E("state")),
            TdpMessageType.JpegFrame => new JpegFrameMessage(U("left"), U("top"), U("right"), U("bottom"), B("data")),
            TdpMessageType.ResizeRemote => new ResizeRemoteMessage((RemoteResizeMode)E("mode")),
            TdpMessageType.TerminalOutput => new TerminalOutputMessage(B("data")),
            TdpMessageType.TerminalInput => new TerminalInputMessage(B("data")),
            TdpMessageType.TerminalResize => new TerminalResizeMessage(U16("columns"), U16("rows"), U16("widthPx"), U16("heightPx")),
            TdpMessageType.TerminalAck => new TerminalAckMessage(U("bytes")),
            TdpMessageType.TerminalExit => new TerminalExitMessage((TerminalExitKind)E("kind"), U("exitStatus"), S("signal"), S("message")),
            TdpMessageType.TerminalSize => new TerminalSizeMessage(U16("columns"), U16("rows")),
            var t => throw new InvalidOperationException($"vector with unknown type {t}"),
        };
    }
}
